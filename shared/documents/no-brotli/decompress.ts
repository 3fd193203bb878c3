/**
 * Stands in for `brotli/decompress` in the Lambda bundles: fontkit imports it for WOFF2 fonts
 * only, and the e-results embed TrueType fonts; the real module carries a 465 KB dictionary.
 */
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported in the e-result renderer; use the TrueType files in shared/documents/fonts');
}
