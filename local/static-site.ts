/**
 * Local mode's stand-in for the stack's CloudFront distribution in front of the site bucket: the
 * built front end (`web/dist`, `npm run web:build`) served at `/` beside the API, with the same
 * security headers (shared/api/site-headers.ts), hashed assets cached for a year, and every page
 * path (shared/api/portal-paths.ts) answered with its page's HTML so deep links survive a reload.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageDocumentOf } from '../shared/api/portal-paths';
import { siteSecurityHeaders, type SiteOrigins } from '../shared/api/site-headers';

export const WEB_DIST_DIRECTORY = fileURLToPath(new URL('../web/dist', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticSiteOptions {
  readonly directory?: string;
  readonly origins: SiteOrigins;
}

/** The `fallback` of the local HTTP server: answers a GET or HEAD of a built file or a page, false for anything else. */
export function staticSite(options: StaticSiteOptions): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const directory = options.directory ?? WEB_DIST_DIRECTORY;
  const headers = siteSecurityHeaders(options.origins, { https: false });
  return async (request, response) => {
    const pathname = decodePath(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (pathname === undefined) return false;
    const asset = await fileUnder(directory, pathname);
    const document = asset === undefined ? pageDocumentOf(pathname) : undefined;
    const file = asset ?? (document === undefined ? undefined : await fileUnder(directory, `/${document}`));
    if (file === undefined) {
      if (document === undefined) return false;
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      response.end('The front end is not built: run npm run web:build (npm start does it first).\n');
      return true;
    }
    const isHashedAsset = pathname.startsWith('/assets/');
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
      'Content-Length': file.size,
      'Cache-Control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...headers,
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file.path).pipe(response);
    return true;
  };
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/** A regular file at `pathname` inside `directory`, never outside it (`..`, absolute paths). */
async function fileUnder(directory: string, pathname: string): Promise<{ path: string; size: number } | undefined> {
  if (pathname.endsWith('/') || pathname.includes('\0')) return undefined;
  const path = normalize(join(directory, pathname));
  if (!path.startsWith(directory + sep)) return undefined;
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
