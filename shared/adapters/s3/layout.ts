/**
 * Layout of the uploads bucket: `incoming/<uploadId>` for fresh uploads (expired by a lifecycle
 * rule after a day when nobody claims them), `attachments/<uploadId>` once a dossier claims them.
 */
export const incomingKey = (uploadId: string) => `incoming/${uploadId}`;
export const attachmentKey = (uploadId: string) => `attachments/${uploadId}`;

/** User metadata of an upload (`x-amz-meta-<name>`), fixed by the presigned POST's policy: the file name (percent-encoded) and the declared size. */
export const FILE_NAME_METADATA = 'filename';
export const DECLARED_SIZE_METADATA = 'declared-size';
