import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';
import { localWard } from '../../local/ward-environment';
import type { Dossier } from '../../shared/domain/dossier';
import { renderOfficialDocument } from '../../shared/documents/official-document';
import { issueDossierDocument } from '../../shared/use-cases/dossier-documents';
import type { SigningIdentity } from '../../shared/use-cases/ports';
import { memoryArchive } from '../support/issuing';
import { median, type BenchSection } from './report';

const ROUNDS = 15;

/**
 * What signing adds to an approval: the e-result rendered alone (what an approval did before),
 * then issued as it is now (rendered, signed by the port, archived with its metadata), with the
 * signer's calls counted (KMS requests in AWS: one Sign per document; GetPublicKey once per
 * execution environment). Medians of ROUNDS, in one process, on an in-memory archive.
 */
export async function benchSigning(): Promise<BenchSection> {
  const directory = await mkdtemp(join(tmpdir(), 'mot-cua-so-signing-bench-'));
  try {
    const ward = localWard(undefined);
    const { identity } = await readOrCreateLocalSigningIdentity(directory, ward);
    let signCalls = 0;
    const counted: SigningIdentity = {
      ...identity,
      signer: { keyId: identity.signer.keyId, publicKey: () => identity.signer.publicKey(), sign: (message) => ((signCalls += 1), identity.signer.sign(message)) },
    };
    const deps = { signingIdentity: () => Promise.resolve(counted), archive: memoryArchive(), ward, clock: { now: () => new Date() }, publicBaseUrl: 'http://127.0.0.1:3000' };
    const dossier = sampleDossier(ward.agencyCode);
    const order = {
      kind: 'RESULT' as const,
      signer: { name: 'Trần Văn Nam', position: 'CHỦ TỊCH' },
      title: 'Giấy xác nhận tình trạng hôn nhân',
      content: 'Ủy ban nhân dân phường xác nhận: bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.\n\nGiấy này có giá trị 6 tháng.',
    };
    const renderMs: number[] = [];
    const issueMs: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const renderStarted = performance.now();
      await renderOfficialDocument({
        kind: 'RESULT',
        ward: { name: ward.name, province: ward.province },
        documentNumber: dossier.code,
        issuedAt: new Date(),
        verifyUrl: `http://127.0.0.1:3000/verify/${dossier.code}`,
        signature: {
          signerName: 'Trần Văn Nam',
          signerPosition: 'CHỦ TỊCH',
          signedAt: new Date(),
          organization: `Ủy ban nhân dân ${ward.name}`,
          authority: 'LOCAL_TEST_CA',
          certificateIssuer: 'test',
        },
        dossierCode: dossier.code,
        procedureName: dossier.procedure.name,
        applicant: { fullName: dossier.applicant.fullName },
        title: order.title,
        content: order.content,
      });
      renderMs.push(performance.now() - renderStarted);
      const issueStarted = performance.now();
      await issueDossierDocument(deps, { order, before: { ...dossier, version: round + 1 }, after: { ...dossier, version: round + 1 }, officerId: 'officer-1' });
      issueMs.push(performance.now() - issueStarted);
    }
    const render = median(renderMs);
    const issue = median(issueMs);
    return {
      title: 'Signing an e-result',
      method: [
        `What signing adds to an approval: the e-result rendered alone, then issued as it is now (rendered, signed by the port, archived with its metadata), ` +
          `with the signer's calls counted (in AWS one KMS Sign per document). Medians of ${ROUNDS}, one process, in-memory archive; in AWS add one KMS Sign round trip.`,
      ],
      tables: [
        {
          head: ['Signer calls per document', 'Render alone (ms)', 'Render + sign + archive (ms)', 'Added by signing (ms)', 'Ratio'],
          rows: [[(signCalls / ROUNDS).toFixed(2), render.toFixed(0), issue.toFixed(0), (issue - render).toFixed(0), `${(issue / render).toFixed(2)}×`]],
        },
      ],
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function sampleDossier(agencyCode: string): Dossier {
  const now = new Date('2026-01-05T09:00:00+07:00');
  return {
    code: `${agencyCode}-260105-0001`,
    procedure: {
      code: '1.004873',
      version: 1,
      name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
      timeLimitDays: 3,
      feeVnd: 0,
      clockMode: 'RESTART',
      worksOnHolidays: false,
      maxSupplementRequests: 1,
      onlineLevel: 'FULL',
      resultType: 'Giấy xác nhận tình trạng hôn nhân',
    },
    applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '+84912345678' },
    channel: 'COUNTER',
    fullyOnline: false,
    formData: {},
    attachments: [],
    status: 'RESOLVED',
    submittedAt: now,
    receivedAt: now,
    overdue: false,
    supplementRequests: 0,
    version: 1,
    updatedAt: now,
  };
}
