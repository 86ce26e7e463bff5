/**
 * QR codes for printed forms: the `qrcode` package encodes the text (byte mode, UTF-8) and this
 * module draws the modules as one SVG path — crisp in PDF at any zoom and cheap enough to print
 * ten thousand of in a batch. The result is a data-URL image for an <img>.
 */
import QRCode from "qrcode";

export interface QrOptions {
  /** Error correction: L, M (default), Q, H. */
  level?: "L" | "M" | "Q" | "H";
  /** Quiet zone in modules (default 4, as the standard asks). */
  margin?: number;
}

/** The QR code of `text` as an SVG document. */
export function qrSvg(text: string, o: QrOptions = {}): string {
  const q = QRCode.create(text, { errorCorrectionLevel: o.level ?? "M" });
  const n = q.modules.size,
    data = q.modules.data,
    m = o.margin ?? 4;
  let path = "";
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!data[y * n + x]) {
        x++;
        continue;
      }
      let e = x;
      while (e < n && data[y * n + e]) e++;
      path += `M${x + m} ${y + m}h${e - x}v1h-${e - x}z`;
      x = e;
    }
  }
  const size = n + 2 * m;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}"/></svg>`;
}

/** The QR code of `text` as a data URL (image/svg+xml). */
export function qrDataUrl(text: string, o: QrOptions = {}): string {
  return `data:image/svg+xml;base64,${Buffer.from(qrSvg(text, o)).toString("base64")}`;
}
