import { contract } from '../../shared/api/contract';
import { subjectExportView } from '../../shared/api/views';
import { dossierStore, personalDataStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { idHasher } from '../../shared/runtime/kms';
import { officerRoute } from '../../shared/runtime/officer';
import { exportSubjectData } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { personalData: personalDataStore(), dossiers: dossierStore(), idHasher: idHasher(), clock: systemClock };

export const handler = officerRoute('CreateDataSubjectExport', { body: contract.CreateDataSubjectExport.body }, async ({ body }, officer) => {
  const exported = await exportSubjectData(deps, { idNumber: body.idNumber, reason: body.reason, officer });
  // Saved as a file by a browser or `curl -OJ`; a JSON client reads the body as usual.
  const fileName = `du-lieu-ca-nhan-${exported.record.at.toISOString().slice(0, 10)}-${exported.record.id}.json`;
  return { status: 201, body: subjectExportView(exported, ward), headers: { 'Content-Disposition': `attachment; filename="${fileName}"` } };
});
