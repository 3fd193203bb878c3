import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/api';
import { currentLanguage } from './i18n';

/**
 * The ward API's client, typed by the document the server publishes (`npm run web:api`): a path,
 * a parameter or a body the server does not have is a type error in the front end's build.
 * Same origin: the API is served beside the pages (CloudFront in the stack, the local server locally).
 */
export const api = createClient<paths>({ baseUrl: '' });

/** Every request says which language the person reads, so problems come back in it (exported for other clients of the same API). */
export const language: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLanguage());
    return request;
  },
};
api.use(language);

/** A problem+json answer (RFC 9457) as the API sends it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

export const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && typeof (value as Problem).code === 'string' && typeof (value as Problem).status === 'number';
