/**
 * The canonical form of a document that a signature covers: the document (header, every
 * attribute, tabular parts with their line numbers) and its register records («Движения», the
 * record set of every register it posts to), as canonical JSON (journal/canonical.ts: sorted keys,
 * decimal strings, no whitespace), UTF-8. The version counter and the «Подписан» mark are left
 * out: they are bookkeeping, not content. The same document always gives the same bytes, so
 * the client signs exactly what the server verifies.
 */
import { createHash } from "node:crypto";
import type { Configuration, DocumentMeta } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { readObject, type Row } from "../storage/objects.ts";
import { readRecordSet, readInfoRecordSet } from "../registers/index.ts";
import { canonicalJson } from "../journal/canonical.ts";

export const CANONICAL_FORMAT = "document/1";

export interface Canonical {
  bytes: Buffer;
  sha256: string;
  doc: Row;
}

export async function documentCanonical(ctx: { c: Client; conf: Configuration }, m: DocumentMeta, id: string, lock = false): Promise<Canonical> {
  const doc = await readObject(ctx.c, m, id, "json", lock);
  const { version: _v, ...content } = doc;
  const registers: Record<string, Row[]> = {};
  for (const r of [...m.registers].sort()) {
    const acc = ctx.conf.accumulationRegisters.get(r);
    if (acc) registers[r] = await readRecordSet(ctx.c, acc, id);
    const inf = ctx.conf.informationRegisters.get(r);
    if (inf) registers[r] = await readInfoRecordSet(ctx.c, ctx.conf, inf, id);
  }
  const bytes = Buffer.from(canonicalJson({ format: CANONICAL_FORMAT, document: m.name, object: content, registers }), "utf8");
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), doc };
}
