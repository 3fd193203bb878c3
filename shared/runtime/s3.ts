import { S3Client } from '@aws-sdk/client-s3';
import { s3UploadStore } from '../adapters/s3/upload-store';
import { env, required } from './env';
import { tracer } from './observability';

/** The S3 client (path-style for local S3-compatible servers) and the uploads store. */
export const s3 = tracer.captureAWSv3Client(new S3Client({ forcePathStyle: env.S3_FORCE_PATH_STYLE }));

export const uploadStore = () => s3UploadStore(s3, required('UPLOADS_BUCKET'));
