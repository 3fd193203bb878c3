/** The part of s3rver 3.x's API local mode uses (the package ships no types). s3rver is a Koa app. */
declare module 's3rver' {
  import type { IncomingHttpHeaders } from 'node:http';
  import type { AddressInfo } from 'node:net';

  export interface S3rverBucketConfig {
    readonly name: string;
    /** Bucket configuration documents (CORS, website) as XML. */
    readonly configs?: readonly (string | Buffer)[];
  }

  export interface S3rverOptions {
    readonly address?: string;
    /** 0 lets the kernel pick a free port; `run()` resolves with the one it got. */
    readonly port?: number;
    readonly silent?: boolean;
    readonly directory?: string;
    readonly resetOnClose?: boolean;
    readonly allowMismatchedSignatures?: boolean;
    readonly vhostBuckets?: boolean;
    readonly serviceEndpoint?: string;
    readonly configureBuckets?: readonly S3rverBucketConfig[];
  }

  /** The Koa context, as far as a middleware placed before s3rver's own ones uses it. */
  export interface S3rverContext {
    readonly method: string;
    /** The URL path, without the query string. */
    readonly path: string;
    /** Request headers, lower-case names. */
    readonly headers: IncomingHttpHeaders;
    /** The request body stream s3rver's handlers read (Koa's `ctx.req`); a middleware may replace it. */
    req: NodeJS.ReadableStream & { readonly headers: IncomingHttpHeaders };
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
  }

  export type S3rverMiddleware = (context: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware stack, composed when the server starts. */
    readonly middleware: S3rverMiddleware[];
    /** The filesystem store behind the server. */
    readonly store: { existsObject(bucket: string, key: string): Promise<boolean> };
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
