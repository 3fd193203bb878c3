import { describe, expect, it } from 'vitest';
import { CITIZEN_PAGES, OFFICER_PAGES, PAGE_PREFIXES, pageDocumentOf } from '../../shared/api/portal-paths';
import { ROUTES } from '../../shared/runtime/routes';

const firstSegment = (path: string) => `/${path.split('/')[1] ?? ''}`;

describe('the front end page paths', () => {
  it('never lie under an API route, so one origin serves pages and API', () => {
    const apiPrefixes = new Set(ROUTES.map((route) => firstSegment(route.path)));
    for (const prefix of PAGE_PREFIXES) expect(apiPrefixes.has(prefix), prefix).toBe(false);
  });

  it('are each answered with the page of their interface', () => {
    const sample = 'X';
    const citizen = [
      CITIZEN_PAGES.catalog,
      CITIZEN_PAGES.procedure(sample),
      CITIZEN_PAGES.file(sample),
      CITIZEN_PAGES.dossier(sample),
      CITIZEN_PAGES.myDossiers,
      CITIZEN_PAGES.signInDone,
    ];
    const officer = [OFFICER_PAGES.worklists, OFFICER_PAGES.dossier(sample), OFFICER_PAGES.counterIntake, OFFICER_PAGES.kpis, OFFICER_PAGES.signInDone];
    for (const path of citizen) expect(pageDocumentOf(path), path).toBe('index.html');
    for (const path of officer) expect(pageDocumentOf(path), path).toBe('can-bo/index.html');
    for (const route of ROUTES) expect(pageDocumentOf(route.path.replace(/\{[^}]+\}/g, sample)), route.path).toBeUndefined();
  });
});
