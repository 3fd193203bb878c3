import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocalWard } from '../../local/provision';
import { localWard } from '../../local/ward-environment';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { toVietnamIso } from '../../shared/domain/time';
import type { Clock } from '../../shared/use-cases/ports';
import { testIssuingDeps } from '../support/issuing';
import { createDossier } from '../../shared/use-cases/submit-dossier';
import { supplementDossier } from '../../shared/use-cases/supplement-dossier';
import { transitionDossier, type OfficerIdentity } from '../../shared/use-cases/transition-dossier';
import { useLocalAws } from '../support/local-ward';
import { noUploads } from '../fixtures/attachments';

/**
 * The supplement clock through the real use cases on DynamoDB Local, with a controlled clock,
 * across the 30/4 – 2/5/2025 break (with the make-up working Saturday 26/4/2025). Expected dates
 * are counted by hand on the official calendar, not by the code.
 */
const aws = useLocalAws();
const tableName = `clock-${randomUUID().slice(0, 8)}`;
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
// The local ward: the first configured, taking dossiers although its agency code is unconfirmed.
const ward = localWard(undefined);

let instant = new Date();
const clock: Clock = { now: () => instant };
const at = (iso: string) => {
  instant = new Date(iso);
};

const noFiles = noUploads;
const dossiers = dynamoDossierStore(documents, tableName, ward.slug);
const reception: OfficerIdentity = { id: 'officer-1', name: 'Lê Thị Tiếp Nhận', roles: ['reception'] };
const specialist: OfficerIdentity = { id: 'officer-2', name: 'Phạm Văn Chuyên', roles: ['specialist'] };
const transitions = { ...testIssuingDeps(ward, clock), dossiers, catalog: dynamoCatalogStore(documents, tableName) };

beforeAll(async () => {
  await provisionLocalWard({ ...aws, tableName, uploadsBucket: `clock-uploads-${randomUUID().slice(0, 8)}` });
});
afterAll(() => raw.destroy());

/** A counter dossier received at `receivedAt`, transferred, then asked to supplement at `stoppedAt`. */
async function waitingForSupplement(procedureCode: string, formData: Record<string, unknown>, documentsReceived: string[], receivedAt: string, stoppedAt: string) {
  at(receivedAt);
  const submission = SubmissionSchema.parse({
    procedureCode,
    applicant: { fullName: 'Đỗ Văn Minh', idNumber: '001085012345', phone: '0987654321' },
    formData,
  });
  const { dossier, secret } = await createDossier({ dossiers, attachments: noFiles, idHasher: localIdHasher('x'.repeat(32)), clock, ward }, submission, randomUUID(), {
    channel: 'COUNTER',
    officer: reception,
    documentsReceived,
  });
  await transitionDossier(transitions, { code: dossier.code, officer: reception, input: { action: 'transfer' } });
  at(stoppedAt);
  await transitionDossier(transitions, { code: dossier.code, officer: specialist, input: { action: 'request-supplement', items: ['Bản vẽ sửa đổi'] } });
  return { code: dossier.code, secret, firstAppointment: dossier.appointmentAt };
}

const supplementDeps = () => ({ dossiers, catalog: dynamoCatalogStore(documents, tableName), attachments: noFiles, clock, ward });

describe('the clock after a supplement, across the 30/4 – 2/5/2025 break', () => {
  it('RESTART counts the 3 working days again from the completion: Wednesday 7/5/2025', async () => {
    const dossier = await waitingForSupplement(
      '1.004873',
      { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
      ['to-khai-xac-nhan-tthn'],
      '2025-04-21T09:00:00+07:00',
      '2025-04-22T10:00:00+07:00',
    );
    at('2025-04-29T10:00:00+07:00');

    const after = await supplementDossier(supplementDeps(), dossier.code, dossier.secret, { attachments: [], note: 'Đã bổ sung' });

    // Received Monday 21/4: 3 working days → Thursday 24/4. Completed Tuesday 29/4 before the
    // cut-off: 29/4 is the start day; 30/4, 1/5, 2/5 are off, 3–4/5 the weekend; 5, 6, 7/5.
    expect(dossier.firstAppointment && toVietnamIso(dossier.firstAppointment)).toBe('2025-04-24T17:00:00+07:00');
    expect(after.status).toBe('IN_PROGRESS');
    expect(after.appointmentAt && toVietnamIso(after.appointmentAt)).toBe('2025-05-07T17:00:00+07:00');
    // On-time statistics count against the appointment the clock mode gives.
    expect(after.firstAppointmentAt && toVietnamIso(after.firstAppointmentAt)).toBe('2025-05-07T17:00:00+07:00');
  });

  it('SUBTRACT moves the 15-day appointment by the 54 working hours waited: Thursday 22/5/2025', async () => {
    const dossier = await waitingForSupplement(
      '1.013225',
      { constructionAddress: 'Số 5 ngõ 12 phố Lò Đúc', landParcelNumber: '125', mapSheetNumber: '18', floorCount: 4, groundFloorArea: 60, totalFloorArea: 240 },
      ['don-de-nghi-cap-gpxd', 'giay-to-quyen-su-dung-dat', 'ban-ve-thiet-ke'],
      '2025-04-21T09:00:00+07:00',
      '2025-04-22T10:00:00+07:00',
    );
    at('2025-04-29T10:00:00+07:00');

    const after = await supplementDossier(supplementDeps(), dossier.code, dossier.secret, { attachments: [], note: 'Đã nộp bản vẽ sửa đổi' });

    // 15 working days from Monday 21/4 (the make-up Saturday 26/4 counts, 30/4 – 2/5 do not):
    // Wednesday 14/5. Waited from 22/4 10:00 to 29/4 10:00: 7 h + 23, 24, 25, 26 (Sat), 28/4 at 9 h
    // + 2 h = 54 working hours = 6 working days of 9 h → 15, 16, 19, 20, 21, 22/5, at 17:00.
    expect(dossier.firstAppointment && toVietnamIso(dossier.firstAppointment)).toBe('2025-05-14T17:00:00+07:00');
    expect(after.appointmentAt && toVietnamIso(after.appointmentAt)).toBe('2025-05-22T17:00:00+07:00');
  });
});
