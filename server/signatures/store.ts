/**
 * Stored signatures of documents: voiding them when the document changes (called by the
 * journal hooks that every document write, post, unpost and deletion goes through), and the
 * «Подписан» mark the document reads and lists carry (`signed: true|false`).
 */
import type { Client } from "../storage/db.ts";
import { lit } from "../storage/naming.ts";
import type { Row } from "../storage/objects.ts";
import { recordEvent } from "../journal/journal.ts";
import type { Actor } from "../context.ts";

export interface SigCtx {
  c: Client;
  area: number;
  actor?: Actor | null;
}

/** Why the signatures of a document were voided, as the form shows it. */
export const VOID_REASONS = {
  update: "документ изменен",
  post: "документ перепроведен",
  unpost: "проведение документа отменено",
  markDeletion: "документ помечен на удаление",
  delete: "документ удален",
} as const;
export type VoidCause = keyof typeof VOID_REASONS;

/**
 * Voids every valid signature of the document (kept, marked void with when, why and by whom) and
 * journals it. One statement when there is nothing to void. Returns the ids voided.
 */
export async function voidSignatures(
  ctx: SigCtx,
  docKind: string,
  docId: string,
  cause: VoidCause,
  title?: string,
): Promise<string[]> {
  const reason = VOID_REASONS[cause];
  const r = await ctx.c.query(
    `UPDATE _signatures SET void_at = now(), void_reason = $3, void_by = $4
      WHERE doc_id = $2 AND doc_kind = $1 AND void_at IS NULL RETURNING id, login`,
    [docKind, docId, reason, ctx.actor?.login ?? null],
  );
  if (r.rowCount === 0) return [];
  const ids = r.rows.map((x) => String(x.id));
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "signaturesVoid",
    objectKind: "document",
    objectName: docKind,
    objectId: docId,
    objectTitle: title,
    details: { reason, signatures: r.rows.map((x) => ({ id: String(x.id), signer: x.login })) },
  });
  return ids;
}

/**
 * `signed` (has a valid signature) as an extra field of a document read for the API
 * (storage/objects.ts readForApi), over its header aliased `h`: read with the document itself.
 */
export const signedField = (docKind: string): Record<string, string> => ({
  signed: `EXISTS (SELECT 1 FROM _signatures s WHERE s.doc_id = h.id AND s.doc_kind = ${lit(docKind)} AND s.void_at IS NULL)`,
});

/** Adds `signed: true|false` (has a valid signature) to document rows read for the API. */
export async function markSigned<T extends Row>(c: Client, docKind: string, rows: T[]): Promise<T[]> {
  const ids = rows.map((r) => r.id).filter((x): x is string => typeof x === "string");
  if (ids.length === 0) return rows;
  const r = await c.query(
    `SELECT DISTINCT doc_id FROM _signatures WHERE doc_id = ANY($2::uuid[]) AND doc_kind = $1 AND void_at IS NULL`,
    [docKind, ids],
  );
  const signed = new Set(r.rows.map((x) => String(x.doc_id)));
  for (const row of rows) (row as Row).signed = signed.has(String(row.id));
  return rows;
}
