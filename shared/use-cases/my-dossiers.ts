import { NotFoundError } from '../domain/errors';
import type { ApplicantStore, CatalogStore, IdHasher, PageRequest, WorklistPage } from './ports';
import type { SignedInPerson } from './online-applicant';

/** How many of a citizen's latest dossiers prefill looks into ("khai một lần"): one Query, bounded. */
export const PREFILL_LOOKBACK = 20;

export interface MyDossiersDeps {
  readonly applicants: ApplicantStore;
  readonly idHasher: IdHasher;
}

/** The signed-in citizen's own dossiers, newest first, one page (one Query of the `byApplicant` index). */
export async function listMyDossiers(deps: MyDossiersDeps, person: SignedInPerson, page: PageRequest): Promise<WorklistPage> {
  return deps.applicants.listApplicantDossiers(await deps.idHasher.hash(person.idNumber), page);
}

export interface Prefill {
  readonly procedureCode: string;
  /** Who the token says the citizen is, with the e-mail and address of their latest dossier that has them. */
  readonly applicant: { readonly idNumber: string; readonly fullName: string; readonly phone?: string; readonly email?: string; readonly address?: string };
  /** For each form field of the procedure, the latest value the citizen gave a field of that name. */
  readonly formData: Readonly<Record<string, unknown>>;
  /** Which dossier each form value comes from, by field name. */
  readonly sources: Readonly<Record<string, string>>;
}

/**
 * "Khai một lần" (declared once): what the citizen need not type again for a procedure, from the
 * token and from their latest {@link PREFILL_LOOKBACK} dossiers (one Query, projected).
 *
 * @throws NotFoundError the procedure is not in the published catalog
 */
export async function prefillFor(deps: MyDossiersDeps & { readonly catalog: CatalogStore }, person: SignedInPerson, procedureCode: string): Promise<Prefill> {
  const [procedure, earlier] = await Promise.all([
    deps.catalog.getCurrent(procedureCode),
    deps.idHasher.hash(person.idNumber).then((applicantKey) => deps.applicants.latestApplicantSubmissions(applicantKey, PREFILL_LOOKBACK)),
  ]);
  if (procedure === undefined) throw new NotFoundError({ vi: 'Không có thủ tục này trong danh mục.', en: 'There is no such procedure in the catalog.' });
  // Newest first: the first value found is the latest.
  const newestFirst = [...earlier].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  const email = newestFirst.find((submission) => submission.email !== undefined)?.email;
  const address = newestFirst.find((submission) => submission.address !== undefined)?.address;
  const formData: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const field of procedure.formFields) {
    const source = newestFirst.find((submission) => isGiven(submission.formData[field.name]));
    if (source === undefined) continue;
    formData[field.name] = source.formData[field.name];
    sources[field.name] = source.code;
  }
  return {
    procedureCode: procedure.code,
    applicant: {
      idNumber: person.idNumber,
      fullName: person.fullName,
      ...(person.phone === undefined ? {} : { phone: person.phone }),
      ...(email === undefined ? {} : { email }),
      ...(address === undefined ? {} : { address }),
    },
    formData,
    sources,
  };
}

const isGiven = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
