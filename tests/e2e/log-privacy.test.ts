import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, signedInAs, uploadFile } from './citizen-client';

/**
 * Log privacy: a citizen's journey (submit, receive, process, supplement, approve, track, a
 * second dossier withdrawn) over HTTP against the local ward, with the stream consumers (the
 * notifier's SMS) running and the handlers' logger at its most verbose, every line written to
 * the console, stdout or stderr captured: none holds the applicant's ID number, phone or full
 * name, in any of the forms they may take (NFC, NFD, lower case, E.164).
 */
const APPLICANT = {
  fullName: 'Đoàn Thị Bích Ngọc',
  idNumber: '001190012345',
  phone: '0912345678',
  email: 'bich.ngoc@example.vn',
  address: 'Số 7 ngõ Huyện, phường Hoàn Kiếm, Hà Nội',
};

/** Every spelling of the applicant's personal data that must never reach a log line. */
const FORBIDDEN = [
  APPLICANT.fullName,
  APPLICANT.fullName.normalize('NFD'),
  APPLICANT.fullName.toLowerCase(),
  APPLICANT.fullName.toLowerCase().normalize('NFD'),
  APPLICANT.idNumber,
  APPLICANT.phone,
  '+84912345678',
  '84912345678',
  APPLICANT.email,
];

let ward: LocalWard;
const lines: string[] = [];

beforeAll(async () => {
  const capture =
    (write: (...args: never[]) => boolean) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
  // The originals are taken before the spies replace them: a spy that called itself would recurse
  // as soon as anything (a process warning) writes to the stream directly.
  const [stdoutWrite, stderrWrite] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdoutWrite));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderrWrite));
  // Powertools' logger in local (dev) mode prints through the global console.
  const consoleMethods = console as unknown as Record<'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace', (...args: unknown[]) => void>;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = consoleMethods[method].bind(console);
    vi.spyOn(consoleMethods, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      original(...args);
    });
  }
  ward = await startLocalWard({ streams: true, logRequests: true });
  // Everything the handlers could log, not only what local mode shows by default (imported now: after the ward's environment is set).
  // The handlers' loggers read the level when their modules load, at the first request.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const { logger } = await import('../../shared/runtime/observability');
  logger.setLogLevel('DEBUG');
  // The capture sees what the handlers' logger writes.
  logger.debug('log capture check');
  expect(lines.some((line) => line.includes('log capture check'))).toBe(true);
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await ward?.stop();
});

describe('log privacy', () => {
  it("no log line of a whole journey holds the applicant's ID number, phone or name", async () => {
    const reception = await officerToken({ roles: ['reception'] });
    const specialist = await officerToken({ roles: ['specialist'] });
    const leader = await officerToken({ roles: ['leader'] });
    const submit = async () => {
      const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
      const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
        body: maritalStatusSubmission(upload, { applicant: APPLICANT, fullyOnline: false }),
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      });
      expect(response.status).toBe(201);
      return response.body;
    };
    const act = async (code: string, token: string, body: Record<string, unknown>) => {
      const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, { body, headers: { Authorization: `Bearer ${token}` } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };

    const dossier = await submit();
    await act(dossier.code, reception, { action: 'receive' });
    await act(dossier.code, reception, { action: 'transfer' });
    await act(dossier.code, specialist, { action: 'request-supplement', items: ['Tờ khai có chữ ký'], documents: ['to-khai-xac-nhan-tthn'] });
    const upload = await uploadFile(ward.baseUrl, { name: 'bo-sung.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const supplemented = await call(ward.baseUrl, 'POST', `/dossiers/${dossier.code}/supplement`, {
      body: { attachments: [{ uploadId: upload, documentId: 'to-khai-xac-nhan-tthn' }], note: 'Đã bổ sung' },
      headers: { 'X-Dossier-Secret': dossier.secret },
    });
    expect(supplemented.status).toBe(200);
    await act(dossier.code, leader, { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Người yêu cầu hiện chưa đăng ký kết hôn.' } });
    expect((await call(ward.baseUrl, 'GET', `/dossiers/${dossier.code}/status`)).status).toBe(200);
    expect((await call(ward.baseUrl, 'GET', `/dossiers/${dossier.code}`, { headers: { 'X-Dossier-Secret': dossier.secret } })).status).toBe(200);
    expect((await call(ward.baseUrl, 'GET', `/officer/dossiers/${dossier.code}`, { headers: { Authorization: `Bearer ${reception}` } })).status).toBe(200);
    // Refusals are logged too: a duplicate rating, a wrong secret, a bad submission.
    expect((await call(ward.baseUrl, 'GET', `/dossiers/${dossier.code}`, { headers: { 'X-Dossier-Secret': 'wrong' } })).status).toBeGreaterThanOrEqual(400);
    const invalid = await call(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(upload, { applicant: { ...APPLICANT, phone: `${APPLICANT.phone}x` } }),
      headers: { ...(await signedInAs(APPLICANT)), 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(invalid.status).toBe(400);

    const withdrawn = await submit();
    const withdrawal = await call(ward.baseUrl, 'POST', `/dossiers/${withdrawn.code}/withdraw`, {
      body: { reason: 'Không còn nhu cầu' },
      headers: { 'X-Dossier-Secret': withdrawn.secret },
    });
    expect(withdrawal.status).toBe(200);
    await ward.drainStreams();
    // The notifier did run (SMS to the applicant's phone), so its logging was exercised.
    expect((await ward.notifications()).length).toBeGreaterThan(0);

    // The handlers' own log lines (a refusal is logged at info) and the local server's request lines are captured too.
    expect(lines.some((line) => line.includes('request refused'))).toBe(true);
    expect(lines.some((line) => line.includes(`/dossiers/${dossier.code}/supplement`))).toBe(true);
    const leaks = lines.flatMap((line) =>
      FORBIDDEN.filter((value) => line.includes(value) || line.toLowerCase().includes(value.toLowerCase())).map((value) => ({ value, line: line.slice(0, 400) })),
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});
