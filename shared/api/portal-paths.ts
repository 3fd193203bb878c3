/**
 * The pages of the citizen portal and the officer console: real paths, so that a link in an SMS
 * or a bookmark survives a reload. None lies under an API route's prefix (tests/unit/portal-paths.test.ts),
 * so one origin serves both, locally and behind CloudFront. Plain TypeScript: the front end, the
 * SMS text and the servers import it alike.
 */
export const CITIZEN_PAGES = {
  catalog: '/',
  procedure: (procedureCode: string) => `/thu-tuc/${encodeURIComponent(procedureCode)}`,
  file: (procedureCode: string) => `/nop/${encodeURIComponent(procedureCode)}`,
  /** The dossier's tracking page: every SMS links here. */
  dossier: (code: string) => `/ho-so/${encodeURIComponent(code)}`,
  myDossiers: '/cua-toi',
  signInDone: '/dang-nhap/xong',
  /** The privacy notice ("thông báo xử lý dữ liệu cá nhân"): linked from the footer, the sign-in and the submission. */
  privacy: '/du-lieu-ca-nhan',
} as const;

export const OFFICER_CONSOLE_BASE = '/can-bo';

export const OFFICER_PAGES = {
  worklists: `${OFFICER_CONSOLE_BASE}/`,
  dossier: (code: string) => `${OFFICER_CONSOLE_BASE}/ho-so/${encodeURIComponent(code)}`,
  counterIntake: `${OFFICER_CONSOLE_BASE}/tiep-nhan`,
  kpis: `${OFFICER_CONSOLE_BASE}/chi-so`,
  signInDone: `${OFFICER_CONSOLE_BASE}/dang-nhap/xong`,
} as const;

/** The first segment of every page path, for the servers' routing of page requests to the built front end. */
export const PAGE_PREFIXES = ['/thu-tuc', '/nop', '/ho-so', '/cua-toi', '/dang-nhap', '/du-lieu-ca-nhan', OFFICER_CONSOLE_BASE] as const;

/**
 * The verification page's own stylesheet (shared/api/verify-page.ts links it), which the front end's
 * build emits under this stable name (web/vite.config.ts) from the portal's palette and page frame,
 * so that the page a QR code opens looks like the portal. Linked, never inline: the page's CSP
 * allows styles from its own origin only.
 */
export const VERIFY_PAGE_STYLESHEET = '/css/verify-page.css';

/** The front end's run-time configuration (shared/api/portal-config.ts has its schema). */
export const PORTAL_CONFIG_PATH = '/config.json';

/** The HTML documents of the build (`web/dist`), relative to its root. */
export const PAGE_DOCUMENTS = { citizen: 'index.html', officer: `${OFFICER_CONSOLE_BASE.slice(1)}/index.html` } as const;

/**
 * Which HTML document answers a page path: the console's under its base, the portal's otherwise;
 * undefined for no page. Local mode's static server uses it, and the stack's CloudFront Function
 * is generated from the same constants and tested against it (tests/infra/site.test.ts).
 */
export function pageDocumentOf(pathname: string): string | undefined {
  if (pathname === OFFICER_CONSOLE_BASE || pathname.startsWith(`${OFFICER_CONSOLE_BASE}/`)) return PAGE_DOCUMENTS.officer;
  if (pathname === '/' || PAGE_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return PAGE_DOCUMENTS.citizen;
  return undefined;
}
