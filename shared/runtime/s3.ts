import { S3Client } from '@aws-sdk/client-s3';
import { s3AttachmentStore } from '../adapters/s3/attachment-store';
import { s3UploadPresigner } from '../adapters/s3/presigned-uploads';
import { s3DocumentArchive } from '../adapters/s3/document-archive';
import { env, required } from './env';
import { tracer } from './observability';

/** The S3 client (path-style for local S3-compatible servers), the uploads bucket's uses and the archive. */
export const s3 = tracer.captureAWSv3Client(new S3Client({ forcePathStyle: env.S3_FORCE_PATH_STYLE }));

export const uploadPresigner = () => s3UploadPresigner(s3, required('UPLOADS_BUCKET'));
export const attachmentStore = () => s3AttachmentStore(s3, required('UPLOADS_BUCKET'), { malwareScanning: required('UPLOADS_MALWARE_SCANNING') });
export const documentArchive = () => s3DocumentArchive(s3, required('ARCHIVE_BUCKET'));
