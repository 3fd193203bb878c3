import { describe, expect, it } from 'vitest';
import type { LocalNotification } from '../../shared/adapters/local/notification-outbox';
import { CITIZEN_PAGES } from '../../shared/api/portal-paths';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from '../e2e/citizen-client';
import { newContext } from '../support/browser';
import { browserTestBed } from './steps';

/**
 * The link a citizen's SMS carries, from a real submission through the notifier to the local
 * outbox, opens the portal's tracking page for that dossier (the same page the submission's answer
 * links to), deep link and all.
 */
const bed = browserTestBed({ site: true, streams: true });

type Sms = Extract<LocalNotification, { kind: 'SMS' }>;

describe("the tracking link of a citizen's SMS", () => {
  it('opens the portal page of that dossier in Chromium', async () => {
    const uploadId = await uploadFile(bed.ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const submitted = await call<{ code: string; trackingUrl: string }>(bed.ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const { code } = submitted.body;
    const expectedLink = `${bed.ward.baseUrl}${CITIZEN_PAGES.dossier(code)}`;
    expect(submitted.body.trackingUrl).toBe(expectedLink);

    await bed.ward.drainStreams();
    const sms = (await bed.ward.notifications()).find((message): message is Sms => message.kind === 'SMS' && message.dossierCode === code);
    const link = /https?:\/\/\S+/.exec(sms?.text ?? '')?.[0];
    expect(link, sms?.text).toBe(expectedLink);

    const context = await newContext(bed.browser, 'phone');
    const page = await context.newPage();
    const response = await page.goto(link ?? '');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    // The portal's document, not the console's nor an API answer.
    expect(await response?.text()).toMatch(/assets\/citizen-/);
    // The portal runs there, at that address (its router reads the code from it).
    await expect.poll(() => page.locator('#app > *').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe(CITIZEN_PAGES.dossier(code));
    // The dossier's tracking page: its heading names the code, and its public status is shown.
    await expect.poll(() => page.getByRole('heading', { level: 1, name: new RegExp(code.replace(/[.]/g, '\\.')) }).count(), { timeout: 15_000 }).toBe(1);
    await context.close();
  });
});
