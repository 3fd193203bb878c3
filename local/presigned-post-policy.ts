import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3rverContext, S3rverMiddleware } from 's3rver';
import * as z from 'zod';
import { LOCAL_AWS_CREDENTIALS } from './local-aws';

/**
 * S3 checks a browser upload (POST Object with a presigned policy) before it stores anything:
 * the signature, the expiry, every condition (`content-length-range`, `eq`, `starts-with`, exact
 * matches) and that no form field escapes the policy. s3rver stores whatever it receives, so
 * without this check local mode would accept uploads that S3 refuses (too large, wrong type):
 * exactly the limits the uploads feature relies on S3 to enforce.
 *
 * Error codes and statuses follow S3's (`AccessDenied` 403, `EntityTooLarge` 400, ...).
 */
export function enforcePresignedPostPolicy(): S3rverMiddleware {
  return async (context, next) => {
    const bucket = bucketOfPostObject(context);
    if (bucket === undefined) {
      return next();
    }
    const body = await readBody(context.req);
    if (body === undefined) {
      return refuse(context, new S3Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
    }
    const contentType = String(context.headers['content-type']);
    const refusal = await checkUpload(bucket, contentType, body);
    if (refusal) {
      return refuse(context, refusal);
    }
    // s3rver's own handler parses the form again from the stream it is given.
    context.req = Object.assign(Readable.from([body]), { headers: context.req.headers });
    return next();
  };
}

/** Larger bodies are refused outright: local uploads are documents, not videos. */
const MAX_BUFFERED_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Form fields S3 does not require a policy condition for. */
const FIELDS_EXEMPT_FROM_POLICY = new Set(['policy', 'x-amz-signature', 'file']);

class S3Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

const PolicyConditionSchema = z.union([
  z.record(z.string(), z.string()),
  z.tuple([z.enum(['eq', 'starts-with']), z.string().startsWith('$'), z.string()]),
  z.tuple([z.literal('content-length-range'), z.number().int().min(0), z.number().int().min(0)]),
]);
type PolicyCondition = z.infer<typeof PolicyConditionSchema>;

const PolicyDocumentSchema = z.object({
  expiration: z.iso.datetime(),
  conditions: z.array(PolicyConditionSchema),
});

/** The bucket of a path-style `POST /<bucket>` with a multipart body, the only shape of POST Object. */
function bucketOfPostObject(context: S3rverContext): string | undefined {
  if (context.method !== 'POST' || !String(context.headers['content-type']).startsWith('multipart/form-data')) {
    return undefined;
  }
  const match = /^\/([^/]+)\/?$/.exec(context.path);
  return match?.[1];
}

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size <= MAX_BUFFERED_UPLOAD_BYTES) {
      chunks.push(bytes);
    }
  }
  return size <= MAX_BUFFERED_UPLOAD_BYTES ? Buffer.concat(chunks) : undefined;
}

interface PostedForm {
  /** Fields before the file, by lower-case name; S3 ignores anything after the file. */
  readonly fields: ReadonlyMap<string, string>;
  readonly fileSize: number | undefined;
}

async function parseForm(contentType: string, body: Buffer): Promise<PostedForm | undefined> {
  let formData: FormData;
  try {
    formData = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const [name, value] of formData.entries()) {
    if (name === 'file') {
      const fileSize = typeof value === 'string' ? Buffer.byteLength(value) : value.size;
      return { fields, fileSize };
    }
    if (typeof value === 'string') {
      fields.set(name.toLowerCase(), value);
    }
  }
  return { fields, fileSize: undefined };
}

async function checkUpload(bucket: string, contentType: string, body: Buffer): Promise<S3Refusal | undefined> {
  const form = await parseForm(contentType, body);
  if (form === undefined) {
    return new S3Refusal(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  }
  if (form.fileSize === undefined) {
    // s3rver answers this one itself, as S3 does.
    return undefined;
  }
  const encodedPolicy = form.fields.get('policy');
  if (encodedPolicy === undefined) {
    return new S3Refusal(403, 'AccessDenied', 'Access Denied');
  }
  const signatureRefusal = checkSignature(form.fields, encodedPolicy);
  if (signatureRefusal) {
    return signatureRefusal;
  }
  const policy = decodePolicy(encodedPolicy);
  if (policy === undefined) {
    return new S3Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  if (Date.parse(policy.expiration) <= Date.now()) {
    return new S3Refusal(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  }
  const coveredFields = new Set<string>();
  for (const condition of policy.conditions) {
    const refusal = checkCondition(condition, { bucket, fields: form.fields, fileSize: form.fileSize }, coveredFields);
    if (refusal) {
      return refusal;
    }
  }
  const extraFields = [...form.fields.keys()].filter((name) => !FIELDS_EXEMPT_FROM_POLICY.has(name) && !name.startsWith('x-ignore-') && !coveredFields.has(name));
  if (extraFields.length > 0) {
    return new S3Refusal(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extraFields.join(', ')}`);
  }
  return undefined;
}

/** Signature Version 4 of a POST policy: the policy's base64 text, signed with the date-scoped key. */
function checkSignature(fields: ReadonlyMap<string, string>, encodedPolicy: string): S3Refusal | undefined {
  const credential = fields.get('x-amz-credential') ?? '';
  const [accessKeyId, date, region, service] = credential.split('/');
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || !date || !region || service !== 's3') {
    return new S3Refusal(400, 'InvalidArgument', 'POST requires a valid X-Amz-Algorithm and X-Amz-Credential.');
  }
  if (accessKeyId !== LOCAL_AWS_CREDENTIALS.accessKeyId) {
    return new S3Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
  const signingKey = [date, region, service, 'aws4_request'].reduce<Buffer | string>((key, part) => hmac(key, part), `AWS4${LOCAL_AWS_CREDENTIALS.secretAccessKey}`);
  const expected = hmac(signingKey, encodedPolicy);
  const provided = Buffer.from(fields.get('x-amz-signature') ?? '', 'hex');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return new S3Refusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return undefined;
}

function decodePolicy(encodedPolicy: string): z.infer<typeof PolicyDocumentSchema> | undefined {
  try {
    const document: unknown = JSON.parse(Buffer.from(encodedPolicy, 'base64').toString('utf8'));
    const parsed = PolicyDocumentSchema.safeParse(document);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

interface Upload {
  readonly bucket: string;
  readonly fields: ReadonlyMap<string, string>;
  readonly fileSize: number;
}

function checkCondition(condition: PolicyCondition, upload: Upload, coveredFields: Set<string>): S3Refusal | undefined {
  const valueOf = (fieldName: string): string | undefined => (fieldName === 'bucket' ? upload.bucket : upload.fields.get(fieldName));
  const failed = (): S3Refusal => new S3Refusal(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);

  if (!Array.isArray(condition)) {
    for (const [name, expected] of Object.entries(condition)) {
      const fieldName = name.toLowerCase();
      coveredFields.add(fieldName);
      if (valueOf(fieldName) !== expected) {
        return failed();
      }
    }
    return undefined;
  }
  if (condition[0] === 'content-length-range') {
    const [, minimum, maximum] = condition;
    if (upload.fileSize > maximum) {
      return new S3Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    }
    if (upload.fileSize < minimum) {
      return new S3Refusal(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    }
    return undefined;
  }
  const [operator, variable, expected] = condition;
  const fieldName = variable.slice(1).toLowerCase();
  coveredFields.add(fieldName);
  const actual = valueOf(fieldName);
  const holds = operator === 'eq' ? actual === expected : (actual ?? '').startsWith(expected);
  return holds ? undefined : failed();
}

function refuse(context: S3rverContext, refusal: S3Refusal): void {
  context.status = refusal.status;
  context.type = 'application/xml';
  if (context.headers.origin !== undefined) {
    // So that a browser shows S3's answer rather than a CORS failure.
    context.set('Access-Control-Allow-Origin', '*');
  }
  context.body = '<?xml version="1.0" encoding="UTF-8"?>\n' + `<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
