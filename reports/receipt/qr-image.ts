/**
 * The receipt's payment QR code as a small PNG data URL (1-bit, `scale` pixels per module, the
 * quiet zone included). Chromium prints an image several times faster than the same code as an
 * inline SVG path. One pixel per module (65×65 for the usual version 10) is the cheapest: the
 * template scales it with image-rendering: pixelated, and in the PDF it is a 65×65 image without
 * /Interpolate, which viewers and printers draw with sharp module edges. Four pixels per module
 * cost Chromium 20% more per receipt (it re-encodes every image with deflate).
 *
 * The mask pattern is fixed (ISO/IEC 18004 lets the encoder choose any of the eight; a reader
 * takes it from the format information): choosing the "best" one by the penalty rules is four
 * fifths of the encoding time, ~1 ms a code, which is 10 s of CPU in a batch of ten thousand.
 *
 * Why not qrcode's own PNG (issue 14 §6 asks for the package unless it costs the batch ~10%):
 * QRCode.toDataURL(text, { maskPattern: 0, margin: 4, scale: 1, errorCorrectionLevel: "M" })
 * writes an RGBA PNG (a 3,205-character data URL against 879 here) and is asynchronous, so the
 * images must be drawn before the template, not as it reads them. Measured with bench/receipts.ts
 * in quick mode (1,000 receipts, 2 cores shared, load average 2.5–5, three runs each), this
 * encoder against toDataURL (all images drawn in the data module): the data phase 0.89/1.62/0.92 s
 * against 2.60/3.82/2.89 s (+1.7–2.2 ms a receipt), node's CPU while printing 1.66/1.95/1.99 ms a
 * receipt against 1.22/1.08/1.01, Chromium's 7.41/8.24/8.92 against 8.20/8.14/7.76 (its share is
 * within the noise); the bench's idle-machine estimate (data + CPU / cores) 5.43/6.72/6.37 s
 * against 7.31/8.43/7.28 s, i.e. +14–35%; node's peak RSS 238–239 MB against 451–465 MB. Alone (1,000
 * codes, three rounds): 0.68–0.77 ms a code here, 0.97–1.57 ms with toDataURL. So this stays.
 */
import { deflateSync } from "node:zlib";
import QRCode from "qrcode";

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(b: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) c = CRC[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface QrImageOptions {
  /** Pixels per module (default 1). */
  scale?: number;
  /** Quiet zone in modules (default 4, as the standard asks). */
  margin?: number;
  /** Mask pattern 0–7 (default 0). */
  mask?: number;
}

/** The QR code of `text` (UTF-8, error correction M, segments as qrcode picks them) as a 1-bit grayscale PNG. */
export function qrPng(text: string, o: QrImageOptions = {}): Buffer {
  const scale = o.scale ?? 1,
    margin = o.margin ?? 4;
  const q = QRCode.create(text, { errorCorrectionLevel: "M", maskPattern: (o.mask ?? 0) as QRCode.QRCodeMaskPattern });
  const n = q.modules.size,
    data = q.modules.data;
  const side = (n + 2 * margin) * scale,
    stride = 1 + Math.ceil(side / 8);
  const raw = new Uint8Array(stride * side).fill(0xff); // white
  for (let my = 0; my < n; my++) {
    // one scan line of module row `my`, then the same line `scale` times
    const first = (margin + my) * scale * stride;
    for (let mx = 0; mx < n; mx++) {
      if (!data[my * n + mx]) continue;
      for (let x = (margin + mx) * scale, e = x + scale; x < e; x++) raw[first + 1 + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
    for (let k = 1; k < scale; k++) raw.copyWithin(first + k * stride, first, first + stride);
  }
  for (let y = 0; y < side; y++) raw[y * stride] = 0; // filter type None
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, filter 0, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** The same as a data URL for an <img>. */
export const qrPngDataUrl = (text: string, o: QrImageOptions = {}) =>
  `data:image/png;base64,${qrPng(text, o).toString("base64")}`;
