/**
 * Layout of the uploads bucket: `incoming/<uploadId>` for fresh uploads (expired by a lifecycle
 * rule after a day when nobody claims them), `attachments/<uploadId>` once a dossier claims them.
 */
export const incomingKey = (uploadId: string) => `incoming/${uploadId}`;
export const attachmentKey = (uploadId: string) => `attachments/${uploadId}`;
