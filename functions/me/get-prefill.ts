import { contract } from '../../shared/api/contract';
import { citizenOf } from '../../shared/runtime/citizen';
import { applicantStore, catalogStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { idHasher } from '../../shared/runtime/kms';
import { prefillFor } from '../../shared/use-cases/my-dossiers';

const deps = { applicants: applicantStore(), catalog: catalogStore(), idHasher: idHasher() };

export const handler = httpRoute(
  { query: contract.GetPrefill.query },
  async ({ query }, citizen) => ({ status: 200, body: await prefillFor(deps, citizen, query.procedureCode) }),
  citizenOf,
);
