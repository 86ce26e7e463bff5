/**
 * COPY … FROM STDIN in PostgreSQL's text format through pg-copy-streams: value escaping and a
 * chunked writer that respects back-pressure. Used by post.ts for large record sets and by the
 * benchmarks for their baselines and data generators.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { Client } from "../storage/db.ts";

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY text format: null is \N, booleans t/f, text escaped. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (v === true) return "t";
  if (v === false) return "f";
  const s = String(v);
  return SPECIAL.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

/** Runs `COPY <target> FROM STDIN` feeding it the lines (each ending in \n) in ~1 MB chunks. */
export async function copyIn(c: Client, copySql: string, lines: Iterable<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    let size = 0;
    for (const line of lines) {
      buf.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        yield buf.join("");
        buf = [];
        size = 0;
      }
    }
    if (buf.length) yield buf.join("");
  }
  const stream = c.query(copyFrom(copySql));
  await pipeline(Readable.from(chunks(), { objectMode: false }), stream);
}

/** Runs `COPY <target> FROM STDIN` with `text` (whole lines): resolves once the server has taken it all. */
export function copyText(c: Client, copySql: string, text: string | Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = c.query(copyFrom(copySql));
    stream.on("error", reject);
    stream.on("finish", () => resolve());
    stream.end(text);
  });
}

/**
 * COPY text written line by line into one growing buffer: each line is encoded as soon as it is
 * made, so the string pieces it was built from die young — a batch kept as one long string would
 * keep every piece alive (and copied by the garbage collector) until it was sent.
 */
export class CopyBuffer {
  private buf: Buffer;
  private used = 0;
  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }
  push(line: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.used + line.length * 3 > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + line.length * 3));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.used += this.buf.write(line, this.used, "utf8");
  }
  get size(): number {
    return this.used;
  }
  /** The bytes written (the buffer is not to be pushed to afterwards). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}
