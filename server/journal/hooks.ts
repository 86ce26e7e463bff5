/**
 * The journal calls the catalog and document services make, one line each, at the end of every
 * write, post, unpost and deletion (in the same transaction, so the change commits with its
 * entry or not at all). A document's change also voids its signatures (signatures/store.ts).
 */
import type { Configuration } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { presentation, type ObjMeta, type Row } from "../storage/objects.ts";
import { voidSignatures, type VoidCause } from "../signatures/store.ts";
import { objectDiff } from "./diff.ts";
import { recordEvent, recordEvents } from "./journal.ts";
import type { Actor } from "../context.ts";

export interface HookCtx {
  c: Client;
  conf: Configuration;
  area: number;
  actor?: Actor | null;
}

const base = (ctx: HookCtx, m: ObjMeta, obj: Row) => ({
  area: ctx.area,
  actor: ctx.actor,
  objectKind: m.kind,
  objectName: m.name,
  objectId: String(obj.id),
  objectTitle: presentation(m, obj),
});

async function voidIfDocument(ctx: HookCtx, m: ObjMeta, obj: Row, cause: VoidCause): Promise<void> {
  if (m.kind !== "document") return;
  // Read by getDocument in this transaction under the row lock: not signed = nothing to void (saves a round trip).
  if (obj.signed === false) return;
  await voidSignatures(ctx, m.name, String(obj.id), cause, presentation(m, obj));
  if ("signed" in obj) obj.signed = false; // the object the service returns was read before the voiding
}

/**
 * A create or write: the before/after difference; "markDeletion"/"unmarkDeletion" when the mark
 * changed. `posting` says the write also posted (or, by a deletion mark, unposted) the document.
 */
export async function journalWrite(
  ctx: HookCtx,
  m: ObjMeta,
  before: Row | null,
  after: Row,
  posting: "post" | "unpost" | null = null,
): Promise<void> {
  const marked = before != null && Boolean(before.deletionMark) !== Boolean(after.deletionMark);
  const action = !before ? "create" : marked ? (after.deletionMark ? "markDeletion" : "unmarkDeletion") : "update";
  if (before) await voidIfDocument(ctx, m, after, action === "markDeletion" ? "markDeletion" : "update");
  await recordEvent(ctx.c, {
    ...base(ctx, m, after),
    action,
    details: objectDiff(
      before,
      after,
      m.tabularParts.map((t) => t.name),
    ),
  });
  if (posting) await recordEvent(ctx.c, { ...base(ctx, m, after), action: posting });
}

/** New documents written and posted as a set (documents/batch.ts): journalWrite(null, doc, "post") of each, in one statement. */
export async function journalCreatedPosted(ctx: HookCtx, m: ObjMeta, docs: Row[]): Promise<void> {
  const tables = m.tabularParts.map((t) => t.name);
  await recordEvents(
    ctx.c,
    docs.flatMap((doc) => [
      { ...base(ctx, m, doc), action: "create" as const, details: objectDiff(null, doc, tables) },
      { ...base(ctx, m, doc), action: "post" as const },
    ]),
  );
}

/** Posting or unposting a document by itself (Провести / Отмена проведения). */
export async function journalPosting(ctx: HookCtx, m: ObjMeta, doc: Row, action: "post" | "unpost"): Promise<void> {
  await voidIfDocument(ctx, m, doc, action);
  await recordEvent(ctx.c, { ...base(ctx, m, doc), action });
}

/** A deletion: the object as it was, so the entry alone tells what was lost. */
export async function journalDelete(ctx: HookCtx, m: ObjMeta, before: Row): Promise<void> {
  await voidIfDocument(ctx, m, before, "delete");
  await recordEvent(ctx.c, {
    ...base(ctx, m, before),
    action: "delete",
    details: objectDiff(
      before,
      null,
      m.tabularParts.map((t) => t.name),
    ),
  });
}

/** Records written to or deleted from an information register directly (not by a document). */
export async function journalRecords(
  ctx: HookCtx,
  register: string,
  action: "recordsWrite" | "recordsDelete",
  rows: unknown[],
  count: number,
): Promise<void> {
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action,
    objectKind: "register",
    objectName: register,
    details: { count, rows: rows.slice(0, 200), ...(rows.length > 200 ? { more: rows.length - 200 } : {}) },
  });
}

/** A constant changed: its old and new value. */
export async function journalConstant(ctx: HookCtx, name: string, before: unknown, after: unknown): Promise<void> {
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "constantWrite",
    objectKind: "constant",
    objectName: name,
    details: { fields: { [name]: [before ?? null, after ?? null] } },
  });
}
