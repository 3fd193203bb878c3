import { fileTypeFromBuffer } from 'file-type/core';
import { UPLOAD_LIMITS } from './dossier';

/** File names are shown to officers and put in download headers: at most this many characters (code points, NFC). */
export const MAX_FILE_NAME_LENGTH = 120;

/** How many first bytes of an upload its type is recognised from (file-type's sample size). */
export const CONTENT_SAMPLE_BYTES = 4100;

/**
 * Characters a file name loses: controls (C0, DEL, C1), format characters (the bidirectional
 * embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F
 * and U+061C, zero-width characters, the BOM), line and paragraph separators, and path separators.
 * A right-to-left override turns "invoice‮fdp.exe" into what reads as "invoiceexe.pdf".
 */
const UNSAFE_IN_FILE_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\/]/gu;

/**
 * A file name safe to store and show: NFC, without control, bidirectional or invisible
 * characters, spaces collapsed, at most MAX_FILE_NAME_LENGTH characters (a longer name is
 * shortened before its extension, which stays). Empty when nothing printable is left.
 */
export function safeFileName(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(UNSAFE_IN_FILE_NAME, '').replace(/\s+/g, ' ').trim();
  const characters = Array.from(cleaned);
  if (characters.length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)) : [];
  const kept = extension.length > 0 && extension.length <= 10 ? extension : [];
  return (
    characters
      .slice(0, MAX_FILE_NAME_LENGTH - kept.length)
      .join('')
      .trimEnd() + kept.join('')
  ).normalize('NFC');
}

/**
 * What the first bytes of a file say it is (its magic bytes), as a MIME type, or undefined when
 * they match no known binary format (text, HTML, an empty file). A declared type is believed only
 * when this agrees with it.
 */
export async function detectContentType(firstBytes: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(firstBytes))?.mime;
}

/**
 * The result of the malware scan of an upload: `CLEAN` (scanned, no threat), `INFECTED`,
 * `UNSCANNABLE` (the scanner could not read it, or failed), `PENDING` (not scanned yet), or
 * `SCANNING_OFF` (no scanner is configured: local mode).
 */
export type MalwareScan = 'CLEAN' | 'INFECTED' | 'UNSCANNABLE' | 'PENDING' | 'SCANNING_OFF';

/** Why an upload cannot be attached, for the attachment's field message (shared/runtime/messages.ts). */
export type UploadRefusal = 'UPLOAD_NOT_FOUND' | 'UPLOAD_TYPE_MISMATCH' | 'UPLOAD_SIZE_MISMATCH' | 'UPLOAD_INFECTED' | 'UPLOAD_NOT_SCANNED';

/** What the uploads bucket holds for one upload, read without changing it. */
export interface UploadEvidence {
  readonly declaredType: string;
  /** The size the citizen declared when asking for the upload (undefined: not recorded). */
  readonly declaredSize: number | undefined;
  /** The stored object's size. */
  readonly size: number;
  readonly detectedType: string | undefined;
  readonly scan: MalwareScan;
}

/**
 * Whether an upload is what it claims to be: its content's type is the declared one (and one the
 * ward accepts), its size the declared size, and the scanner found it clean (or there is none).
 * `PENDING` is not decided here: the caller waits or answers that it should come back.
 */
export function refusalOf(evidence: UploadEvidence): UploadRefusal | undefined {
  if (evidence.scan === 'INFECTED') return 'UPLOAD_INFECTED';
  if (evidence.scan === 'UNSCANNABLE') return 'UPLOAD_NOT_SCANNED';
  if (!(UPLOAD_LIMITS.contentTypes as readonly string[]).includes(evidence.declaredType) || evidence.detectedType !== evidence.declaredType) return 'UPLOAD_TYPE_MISMATCH';
  if (evidence.declaredSize === undefined || evidence.size !== evidence.declaredSize) return 'UPLOAD_SIZE_MISMATCH';
  return undefined;
}
