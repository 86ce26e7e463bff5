/**
 * Documents: write (draft), post, unpost, mark for deletion, delete, fill a tabular part, and
 * read their register records («Движения»). Everything runs in the caller's transaction.
 *
 * Posting (post.ts does the work): the document row is locked first by an UPDATE that also
 * reads it with its tabular parts, the module's post handler fills `ctx.movements`, then every
 * register the document lists gets its record set replaced (an empty set clears the previous
 * one). Any error rolls the whole transaction back: the document stays as it was, with no
 * partial movements. Writing a posted document reposts it, as in 1C.
 */
import { readEntries } from "../accounting/entries.ts";
import type { DocumentWriter } from "../api.ts";
import { deleteAttachmentsOf } from "../attachments/service.ts";
import { nowMoment } from "../calendar.ts";
import type { Ctx } from "../context.ts";
import { AppError, conflict, notFound, UserError } from "../errors.ts";
import type { Progress } from "../jobs.ts";
import { journalDelete, journalPosting, journalWrite } from "../journal/hooks.ts";
import { documentOf } from "../metadata/lookup.ts";
import type { DocumentMeta } from "../metadata/types.ts";
import { readInfoRecordSet, readRecordSet } from "../registers/index.ts";
import { canReadRegister, currentScope } from "../security/scope.ts";
import { markSigned, signedField } from "../signatures/store.ts";
import type { Client } from "../storage/db.ts";
import { type ListQuery, listObjects } from "../storage/list.ts";
import { col as snakeOf } from "../storage/naming.ts";
import {
  checkBodyShape,
  checkReferences,
  dbValues,
  documentHeaderValues,
  findReference,
  lockForWrite,
  type Row,
  readForApi,
  readObject,
  referenceRefused,
  saveHeader,
  tableOf,
  writeTabularPart,
} from "../storage/objects.ts";
import { ormOf } from "../storage/orm.ts";
import { forJson, toDb } from "../storage/values.ts";
import { guardStatusOnWrite, recordCreation, withAllowedTransitions } from "../workflow/service.ts";
import { queryApi } from "./context.ts";
import { nextCounter } from "./numbering.ts";
import { codeView, postLocked, unpostLocked } from "./post.ts";

export type { Ctx, ListQuery };

export async function listDocuments(ctx: Ctx, name: string, lq: ListQuery) {
  const out = await listObjects(ctx.c, ctx.conf, documentOf(ctx.conf, name), lq);
  await markSigned(ctx.c, name, out.rows); // «Подписан»: signed true|false (server/signatures)
  return out;
}

export async function getDocument(ctx: Ctx, name: string, id: string): Promise<Row> {
  const m = documentOf(ctx.conf, name);
  return readForApi(ctx.c, ctx.conf, m, id, signedField(m.name)); // with «Подписан»
}

async function freeNumber(c: Client, m: DocumentMeta, year: number): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const n = String(await nextCounter(c, `document.${m.name}`, year)).padStart(m.numberLength, "0");
    if (n.length > m.numberLength) break;
    const taken = await ormOf(c)
      .getRepository(tableOf(m))
      .createQueryBuilder("d")
      .where("d.number = :n AND date_part('year', d.date) = :year", { n, year })
      .getExists();
    if (!taken) return n;
  }
  throw new UserError(
    `${m.synonym}: номера длиной ${m.numberLength} в ${year} году исчерпаны`,
    { field: "number" },
    "numbers_exhausted",
  );
}

async function write(ctx: Ctx, m: DocumentMeta, id: string | null, body: Row, post: boolean | undefined): Promise<Row> {
  checkBodyShape(m, body);
  const { c, conf } = ctx;
  const current = id ? await lockForWrite(c, m, id, body, (cur) => `${m.synonym} №${cur.number}`) : null;
  const { values, date } = documentHeaderValues(conf, m, body, current?.date ?? nowMoment());
  if ("deletionMark" in body)
    values.set(
      "deletion_mark",
      toDb(conf, { kind: "boolean" }, body.deletionMark, "Пометка удаления", { field: "deletionMark" }),
    );
  const merged: Row = { ...(current ?? {}), ...body, date };
  for (const tp of m.tabularParts) if (!(tp.name in merged)) merged[tp.name] = [];
  await checkReferences(c, conf, m, merged);
  const mod = conf.modules.get(`document.${m.name}`);
  let source = body;
  if (mod?.beforeWrite) {
    const doc = codeView(m, merged);
    await mod.beforeWrite({ ...queryApi(ctx), doc, isNew: !id });
    // The check may also fill or correct attributes and rows (computed columns): what it
    // leaves in ctx.doc is what gets written, validated like the body.
    const names = [...m.attributes.map((a) => a.name), ...m.tabularParts.map((t) => t.name)];
    source = { ...body, ...Object.fromEntries(names.map((k) => [k, doc[k]])) };
    for (const [k, v] of dbValues(conf, m.attributes, source, {}, m.name)) values.set(k, v);
    await checkReferences(c, conf, m, { ...merged, ...source });
  }
  guardStatusOnWrite(m, current, body, values); // workflow: the status changes only by a transition
  const year = Number(date.slice(0, 4));
  if (!values.has("number") && (!id || Number(String(current!.date).slice(0, 4)) !== year))
    values.set("number", await freeNumber(c, m, year));
  const docId = await saveHeader(c, m, id, values, () =>
    conflict(`${m.synonym}: номер ${values.get("number")} уже занят в ${year} году`, "number"),
  );
  for (const tp of m.tabularParts)
    if (!id || tp.name in source) await writeTabularPart(c, conf, m, tp, docId, source[tp.name] ?? []);
  if (!id) await recordCreation(ctx, m, docId); // workflow: the initial status in the history
  const deletionMark = body.deletionMark ?? current?.deletionMark ?? false;
  let posting: "post" | "unpost" | null = null; // for the journal
  let saved: Row | null = null; // a posting reads the document back as it locks it
  if (deletionMark && current?.posted) await unpostLocked(ctx, m, docId), (posting = "unpost");
  else if (post || (current?.posted && post !== false)) (saved = await postLocked(ctx, m, docId)), (posting = "post");
  saved ??= await getDocument(ctx, m.name, docId);
  await journalWrite(ctx, m, current, saved, posting); // journal (server/journal/hooks.ts); voids signatures
  if (posting === "post" && mod?.afterPost) saved = await afterPost(ctx, m, saved);
  return withAllowedTransitions(m, saved); // workflow: the form's status buttons
}

export const createDocument = (ctx: Ctx, name: string, body: Row, opts: { post?: boolean } = {}) =>
  write(ctx, documentOf(ctx.conf, name), null, body, opts.post);
export const updateDocument = (ctx: Ctx, name: string, id: string, body: Row, opts: { post?: boolean } = {}) =>
  write(ctx, documentOf(ctx.conf, name), id, body, opts.post);

export async function postDocument(
  ctx: Ctx,
  name: string,
  id: string,
  opts: { progress?: Progress } = {},
): Promise<Row> {
  const m = documentOf(ctx.conf, name);
  const doc = await postLocked(ctx, m, id, opts.progress);
  await journalPosting(ctx, m, doc, "post"); // journal; voids signatures
  return ctx.conf.modules.get(`document.${m.name}`)?.afterPost ? afterPost(ctx, m, doc) : doc;
}

/** The module's afterPost (DocumentPostedContext), then the document as it is now (the hook may have written it). */
async function afterPost(ctx: Ctx, m: DocumentMeta, doc: Row): Promise<Row> {
  const hook = ctx.conf.modules.get(`document.${m.name}`)?.afterPost;
  if (!hook) return doc;
  const view = codeView(m, doc) as Row & { id: string; number: string; date: string };
  await hook({ ...queryApi(ctx), ...documentWriter(ctx), doc: view });
  return getDocument(ctx, m.name, String(doc.id));
}

/** Refuses (403) a write — and with `post` a posting — of `name` the current user has no right to; none outside a request. */
export function mayWrite(ctx: Ctx, name: string, post: boolean | undefined): void {
  const perms = currentScope()?.perms;
  if (!perms) return;
  for (const action of post ? (["write", "post"] as const) : (["write"] as const))
    if (!perms.can("document", name, action))
      throw new AppError(
        403,
        "forbidden",
        `Нет права на ${action === "write" ? "запись" : "проведение"} документа «${documentOf(ctx.conf, name).synonym}» (${name})`,
      );
}

/** Documents written by configuration code (DocumentWriter, server/api.ts), with the current user's rights. */
export function documentWriter(ctx: Ctx): DocumentWriter {
  return {
    createDocument: (name, body, opts = {}) => (mayWrite(ctx, name, opts.post), createDocument(ctx, name, body, opts)),
    updateDocument: (name, id, body, opts = {}) => (
      mayWrite(ctx, name, opts.post), updateDocument(ctx, name, id, body, opts)
    ),
    getDocument: (name, id) => getDocument(ctx, name, id),
  };
}

export async function unpostDocument(ctx: Ctx, name: string, id: string): Promise<Row> {
  const m = documentOf(ctx.conf, name);
  await readObject(ctx.c, m, id, "json", true);
  await unpostLocked(ctx, m, id);
  const doc = await getDocument(ctx, name, id);
  await journalPosting(ctx, m, doc, "unpost"); // journal; voids signatures
  return doc;
}

export async function deleteDocument(ctx: Ctx, name: string, id: string): Promise<void> {
  const m = documentOf(ctx.conf, name);
  const doc = await readObject(ctx.c, m, id, "json", true);
  await unpostLocked(ctx, m, id);
  const where = await findReference(ctx.c, ctx.conf, "document", m.name, id);
  if (where)
    throw new AppError(
      409,
      "referenced",
      `Нельзя удалить ${m.synonym} №${doc.number}: на него ссылается ${where}. Установите пометку удаления.`,
    );
  for (const tp of m.tabularParts) await writeTabularPart(ctx.c, ctx.conf, m, tp, id, []);
  await deleteAttachmentsOf(ctx, m, id); // its files go with it (server/attachments)
  await ormOf(ctx.c)
    .getRepository(tableOf(m))
    .delete({ id })
    .catch((e) => {
      throw referenceRefused(
        e,
        `Нельзя удалить ${m.synonym} №${doc.number}: на него только что сослался другой пользователь. Установите пометку удаления.`,
      );
    });
  await journalDelete(ctx, m, doc); // journal; voids signatures
}

/** Заполнить: runs the module's fill handler for a tabular part and returns checked rows. */
export async function fillTable(ctx: Ctx, name: string, id: string | null, table: string, body?: Row): Promise<Row[]> {
  const m = documentOf(ctx.conf, name);
  const tp = m.tabularParts.find((t) => t.name === table);
  if (!tp) throw notFound(`У документа ${m.name} нет табличной части «${table}»`);
  const handler = ctx.conf.modules.get(`document.${m.name}`)?.fill?.[table];
  if (!handler)
    throw new UserError(
      `Для табличной части «${tp.synonym}» документа «${m.synonym}» заполнение не предусмотрено`,
      { table },
      "no_fill_handler",
    );
  let doc: Row = {};
  if (id) doc = await readObject(ctx.c, m, id, "json");
  if (body) {
    checkBodyShape(m, body);
    doc = { ...doc, ...body };
  }
  const rows = await handler({ ...queryApi(ctx), doc: codeView(m, doc), table });
  if (!Array.isArray(rows)) throw new Error(`fill handler ${m.name}.${table} did not return an array`);
  return rows.map((r, i) => {
    const v = dbValues(ctx.conf, tp.attributes, (r ?? {}) as Row, { table, line: i + 1 }, m.name);
    const out: Row = { line: i + 1 };
    for (const a of tp.attributes) out[a.name] = forJson(a.type, v.get(snakeOf(a.name)) ?? null);
    return out;
  });
}

/** «Движения»: the document's records in every register it posts to. */
export async function documentMovements(
  ctx: Ctx,
  name: string,
  id: string,
): Promise<Record<string, { synonym: string; kind: string; rows: Row[] }>> {
  const m = documentOf(ctx.conf, name);
  await readObject(ctx.c, m, id, "json");
  const out: Record<string, { synonym: string; kind: string; rows: Row[] }> = {};
  // Only the registers this user may read (a role allowed one of the document's registers sees only that one).
  for (const r of m.registers.filter(canReadRegister)) {
    const acc = ctx.conf.accumulationRegisters.get(r);
    if (acc) out[r] = { synonym: acc.synonym, kind: "accumulationRegister", rows: await readRecordSet(ctx.c, acc, id) };
    const acr = ctx.conf.accountingRegisters.get(r);
    if (acr)
      out[r] = { synonym: acr.synonym, kind: "accountingRegister", rows: await readEntries(ctx.c, ctx.conf, acr, id) };
    const inf = ctx.conf.informationRegisters.get(r);
    if (inf)
      out[r] = {
        synonym: inf.synonym,
        kind: "informationRegister",
        rows: await readInfoRecordSet(ctx.c, ctx.conf, inf, id),
      };
  }
  return out;
}
