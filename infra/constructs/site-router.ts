import { OFFICER_CONSOLE_BASE, PAGE_DOCUMENTS, PAGE_PREFIXES } from '../../shared/api/portal-paths';
import { VIEWER_ADDRESS_HEADER } from '../../shared/runtime/http';

/**
 * The code of the site's CloudFront Function (viewer request, runtime cloudfront-js-2.0): a page
 * path (shared/api/portal-paths.ts) is answered with its interface's HTML document, so that a deep
 * link (an SMS's tracking link, a bookmark) survives a reload; any other path (the hashed assets,
 * `/config.json`, the favicon) goes to the bucket unchanged. Generated from the same constants as
 * `pageDocumentOf`, which local mode uses, and tested against it by evaluation
 * (tests/infra/site.test.ts), so the two cannot drift.
 */
export function siteRouterCode(): string {
  const constants = JSON.stringify({ officerBase: OFFICER_CONSOLE_BASE, prefixes: PAGE_PREFIXES, documents: PAGE_DOCUMENTS });
  return `var SITE = ${constants};
function pageDocumentOf(path) {
  if (path === SITE.officerBase || path.startsWith(SITE.officerBase + '/')) return SITE.documents.officer;
  if (path === '/') return SITE.documents.citizen;
  for (var i = 0; i < SITE.prefixes.length; i++) {
    var prefix = SITE.prefixes[i];
    if (path === prefix || path.startsWith(prefix + '/')) return SITE.documents.citizen;
  }
  return undefined;
}
function decoded(uri) {
  try {
    return decodeURIComponent(uri);
  } catch (e) {
    return undefined;
  }
}
function handler(event) {
  var request = event.request;
  var path = decoded(request.uri);
  var document = path === undefined ? undefined : pageDocumentOf(path);
  if (document !== undefined) request.uri = '/' + document;
  return request;
}
`;
}

/**
 * The code of the API behaviors' CloudFront Function (viewer request, cloudfront-js-2.0): it sets
 * VIEWER_ADDRESS_HEADER to the viewer's own address, overwriting any value the viewer sent, so the
 * API's per-address limits and its web ACL's rate rules count citizens, not CloudFront's edges.
 */
export function viewerAddressCode(): string {
  return `var HEADER = ${JSON.stringify(VIEWER_ADDRESS_HEADER)};
function handler(event) {
  var request = event.request;
  request.headers[HEADER] = { value: event.viewer.ip };
  return request;
}
`;
}
