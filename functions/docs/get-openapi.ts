import { buildOpenApiDocument } from '../../shared/api/openapi';
import { env, ward } from '../../shared/runtime/env';
import { httpRoute } from '../../shared/runtime/http';

/** Built once per execution environment: the document depends only on the code and the ward. */
const document = buildOpenApiDocument(ward, env.PUBLIC_BASE_URL);

export const handler = httpRoute({}, () => Promise.resolve({ status: 200, body: document, headers: { 'Cache-Control': 'public, max-age=3600' } }));
