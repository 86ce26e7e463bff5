/**
 * The canonical form of a document that a signature covers: the document (header, every
 * attribute, tabular parts with their line numbers) and its register records («Движения», the
 * record set of every register it posts to), as canonical JSON (journal/canonical.ts: sorted keys,
 * decimal strings, no whitespace), UTF-8. The version counter and the «Подписан» mark are left
 * out: they are bookkeeping, not content. The same document always gives the same bytes, so
 * the client signs exactly what the server verifies.
 *
 * A signer who may not read some of the document's registers (a role given only some) gets
 * them sealed: in place of the records, `{"sealed": "<sha256 of their canonical JSON>"}`. The
 * signature still covers those records (any change to them changes the digest) without showing
 * them; the signature row keeps which registers were sealed, so verification rebuilds the same
 * view. A view with nothing sealed is byte-for-byte the form of before.
 */
import { createHash } from "node:crypto";
import type { Configuration, DocumentMeta } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { readObject, type Row } from "../storage/objects.ts";
import { readRecordSet, readInfoRecordSet } from "../registers/index.ts";
import { canonicalJson } from "../journal/canonical.ts";
import { canReadRegister } from "../security/scope.ts";

export const CANONICAL_FORMAT = "document/1";

export interface Canonical {
  bytes: Buffer;
  sha256: string;
  doc: Row;
  /** The registers shown only as their digest. */
  sealed: readonly string[];
}

/** The document's registers the current user may not read (none outside a request). */
export function unreadableRegisters(m: DocumentMeta): string[] {
  return [...m.registers].sort().filter((r) => !canReadRegister(r));
}

/** `sealed`: registers whose records appear only as their digest (default: those the current user may not read). */
export async function documentCanonical(
  ctx: { c: Client; conf: Configuration },
  m: DocumentMeta,
  id: string,
  lock = false,
  sealed: readonly string[] = unreadableRegisters(m),
): Promise<Canonical> {
  const doc = await readObject(ctx.c, m, id, "json", lock);
  const { version: _v, ...content } = doc;
  const registers: Record<string, Row[] | { sealed: string }> = {};
  for (const r of [...m.registers].sort()) {
    const acc = ctx.conf.accumulationRegisters.get(r) ?? ctx.conf.accountingRegisters.get(r)?.storage;
    const inf = ctx.conf.informationRegisters.get(r);
    const rows = acc
      ? await readRecordSet(ctx.c, acc, id)
      : inf
        ? await readInfoRecordSet(ctx.c, ctx.conf, inf, id)
        : null;
    if (rows === null) continue;
    registers[r] = sealed.includes(r)
      ? { sealed: createHash("sha256").update(canonicalJson(rows), "utf8").digest("hex") }
      : rows;
  }
  const bytes = Buffer.from(
    canonicalJson({ format: CANONICAL_FORMAT, document: m.name, object: content, registers }),
    "utf8",
  );
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), doc, sealed };
}
