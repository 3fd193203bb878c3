import { useEffect, useState } from 'preact/hooks';

/**
 * A QR code as an image (a data: URL, which the pages' CSP allows). The encoder is loaded only
 * when a page shows one, so it stays out of the first load.
 */
export function QrCode(props: { readonly text: string; readonly alt: string }) {
  const [source, setSource] = useState<string>();
  useEffect(() => {
    let current = true;
    void import('qrcode').then(async (qrcode) => {
      const url = await qrcode.toDataURL(props.text, { errorCorrectionLevel: 'M', margin: 2, width: 384 });
      if (current) setSource(url);
    });
    return () => {
      current = false;
    };
  }, [props.text]);
  return source === undefined ? <div class="qr" aria-busy="true" /> : <img class="qr" src={source} alt={props.alt} width={192} height={192} />;
}
