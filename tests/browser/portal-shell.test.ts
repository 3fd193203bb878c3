import { describe, expect, it } from 'vitest';
import { CITIZEN_PAGES, OFFICER_PAGES } from '../../shared/api/portal-paths';
import { browserTestBed, expectAccessible, openPage } from './steps';

const bed = browserTestBed();

describe('the built front end, served beside the API', () => {
  it('answers every page path with its page, under the site security headers, so a deep link survives a reload', async () => {
    for (const [path, page] of [
      [CITIZEN_PAGES.catalog, 'citizen'],
      [CITIZEN_PAGES.dossier('000.A0.01.H26-260105-0001'), 'citizen'],
      [CITIZEN_PAGES.myDossiers, 'citizen'],
      [OFFICER_PAGES.worklists, 'officer'],
      [OFFICER_PAGES.dossier('000.A0.01.H26-260105-0001'), 'officer'],
    ] as const) {
      const response = await fetch(`${bed.ward.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).toMatch(page === 'citizen' ? /src\/citizen|assets\/citizen-/ : /assets\/officer-/);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('leaves API routes and unknown paths to the gateway', async () => {
    expect((await fetch(`${bed.ward.baseUrl}/procedures`)).headers.get('content-type')).toMatch(/json/);
    const unknown = await fetch(`${bed.ward.baseUrl}/no-such-page`);
    expect(unknown.status).toBe(404);
    const escape = await fetch(`${bed.ward.baseUrl}/assets/..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);
  });

  it('renders the catalog in Chromium with no serious accessibility violation', async () => {
    const { context, page, errors } = await openPage(bed.browser, 'phone');
    await page.goto(`${bed.ward.baseUrl}/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });
});
