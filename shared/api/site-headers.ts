/**
 * The security headers of every page of the front end (citizen portal, officer console), defined
 * once: the stack's CloudFront response headers policy and local mode's static server both use
 * them. No inline script or style is allowed anywhere; the only other origins a page may reach
 * are the ones the deployment names (the identity providers' token endpoints, the uploads bucket).
 */
export interface SiteOrigins {
  /** Origins the pages fetch from besides their own: identity providers' token endpoints, the uploads bucket (presigned POST). */
  readonly connect: readonly string[];
  /** Origins the pages' forms and sign-in redirects may go to (the identity providers' authorization endpoints). */
  readonly formAction: readonly string[];
}

export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;

/** The Content-Security-Policy of the pages. */
export function contentSecurityPolicy(origins: SiteOrigins): string {
  const list = (extra: readonly string[]) => ["'self'", ...new Set(extra)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // QR codes are drawn as data: images, previews of files being uploaded as blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${list(origins.connect)}`,
    `form-action ${list(origins.formAction)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * Every security header, by name. `upgrade-insecure-requests` and HSTS only take effect over HTTPS
 * (browsers ignore HSTS over plain HTTP, and local mode leaves the directive out: it would send
 * the loopback's requests to https).
 */
export function siteSecurityHeaders(origins: SiteOrigins, options: { readonly https: boolean }): Readonly<Record<string, string>> {
  const csp = contentSecurityPolicy(origins);
  return {
    'Content-Security-Policy': options.https ? csp : csp.replace(/; upgrade-insecure-requests$/, ''),
    ...(options.https ? { 'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload` } : {}),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
