/**
 * The PAdES check of each archived PDF ({@link verifyPdfSignature}, the one the verify page uses
 * too) as the audit keeps it, and a pool of worker threads to run it on several CPUs: the check
 * is CPU-bound (it parses the CMS with pkijs), and it is most of an audit's work per document.
 */
import { Worker } from 'node:worker_threads';
import { verifyPdfSignature, type PdfSignatureCheck } from '../documents/pades';

/** What the audit keeps of a PDF's signature check: everything but the certificate's bytes. */
export type PdfSignatureFindings = Omit<PdfSignatureCheck, 'signerCertificate'>;

export type CheckPdfSignature = (pdf: Uint8Array) => Promise<PdfSignatureFindings>;

/** In this thread. */
export const checkPdfSignature: CheckPdfSignature = async (pdf) => {
  const { signerCertificate: _certificate, ...findings } = await verifyPdfSignature(pdf);
  return findings;
};

export interface PdfSignaturePool {
  readonly check: CheckPdfSignature;
  /** Stops the threads; checks still running are rejected. */
  close(): Promise<void>;
}

/** A request to a worker, and its answer. */
export interface PdfSignatureRequest {
  readonly id: number;
  readonly pdf: Uint8Array;
}
export type PdfSignatureAnswer = { readonly id: number; readonly findings: PdfSignatureFindings } | { readonly id: number; readonly error: string };

interface Pending {
  resolve(findings: PdfSignatureFindings): void;
  reject(error: Error): void;
}

/**
 * `size` worker threads, each running ./pdf-signature-worker.ts; a check goes to the thread with
 * the fewest waiting. The threads load TypeScript through tsx's API (a development dependency,
 * which the CLI runs under anyway), so they work under tsx and under vitest alike.
 */
export function pdfSignatureWorkerPool(size: number): PdfSignaturePool {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./pdf-signature-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  let nextId = 0;
  const threads = Array.from({ length: Math.max(1, size) }, () => {
    // A check needs a few MB at a time: a small heap keeps each thread's memory small, not slower.
    const worker = new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
    const pending = new Map<number, Pending>();
    const failAll = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    };
    worker.on('message', (answer: PdfSignatureAnswer) => {
      const waiting = pending.get(answer.id);
      pending.delete(answer.id);
      if ('error' in answer) waiting?.reject(new Error(answer.error));
      else waiting?.resolve(answer.findings);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`a PDF signature thread stopped (exit code ${code})`)));
    return { worker, pending };
  });

  return {
    check(pdf) {
      const thread = threads.reduce((least, candidate) => (candidate.pending.size < least.pending.size ? candidate : least));
      const id = nextId++;
      return new Promise<PdfSignatureFindings>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, pdf } satisfies PdfSignatureRequest);
      });
    },
    async close() {
      await Promise.all(threads.map(({ worker }) => worker.terminate()));
    },
  };
}
