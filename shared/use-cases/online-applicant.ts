import { messageKey, type Applicant, type OnlineSubmission } from '../domain/dossier';
import { ValidationError, type FieldIssue } from '../domain/errors';

/** Who the verified ID token says the citizen is (shared/runtime/citizen.ts). */
export interface SignedInPerson {
  readonly idNumber: string;
  readonly fullName: string;
  readonly phone?: string;
}

const FROM_TOKEN = ['idNumber', 'fullName', 'phone'] as const;

/**
 * The applicant of an online submission: the signed-in citizen's ID number, name and phone (the
 * body's e-mail and address beside them, and its phone when the token has none), or, without a
 * sign-in (a ward's unsigned pilot), the body's block, which must then be complete.
 *
 * @throws ValidationError APPLICANT_NOT_SIGNED_IN_PERSON when the body names someone else than the
 *   token; VALIDATION_FAILED when a value is in neither
 */
export function onlineApplicant(body: OnlineSubmission['applicant'], person: SignedInPerson | undefined): Applicant {
  const contradicted: FieldIssue[] = [];
  const missing: FieldIssue[] = [];
  const values: Partial<Record<(typeof FROM_TOKEN)[number], string>> = {};
  for (const field of FROM_TOKEN) {
    const fromToken = person?.[field];
    const fromBody = body[field];
    if (fromToken !== undefined && fromBody !== undefined && fromToken !== fromBody) {
      contradicted.push({ path: `body.applicant.${field}`, message: messageKey('APPLICANT_NOT_SIGNED_IN_PERSON') });
    }
    const value = fromToken ?? fromBody;
    if (value === undefined) missing.push({ path: `body.applicant.${field}`, message: messageKey('APPLICANT_FIELD_REQUIRED') });
    else values[field] = value;
  }
  if (contradicted.length > 0) {
    throw new ValidationError(
      contradicted,
      { vi: 'Người nộp hồ sơ phải là người đang đăng nhập.', en: 'The applicant must be the signed-in person.' },
      'APPLICANT_NOT_SIGNED_IN_PERSON',
    );
  }
  if (missing.length > 0 || values.idNumber === undefined || values.fullName === undefined || values.phone === undefined) throw new ValidationError(missing);
  return {
    idNumber: values.idNumber,
    fullName: values.fullName,
    phone: values.phone,
    ...(body.email === undefined ? {} : { email: body.email }),
    ...(body.address === undefined ? {} : { address: body.address }),
  };
}
