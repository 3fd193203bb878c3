/** A thread of {@link pdfSignatureWorkerPool}: checks the PDFs it is sent, one answer each. */
import { parentPort } from 'node:worker_threads';
import { checkPdfSignature, type PdfSignatureAnswer, type PdfSignatureRequest } from './pdf-signature';

const port = parentPort;
if (port === null) throw new Error('pdf-signature-worker.ts runs as a worker thread only');
port.on('message', ({ id, pdf }: PdfSignatureRequest) => {
  checkPdfSignature(pdf).then(
    (findings) => port.postMessage({ id, findings } satisfies PdfSignatureAnswer),
    (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies PdfSignatureAnswer),
  );
});
