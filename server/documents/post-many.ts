/**
 * Set posting: many NEW documents of one kind written and posted at once, in the caller's
 * transaction, when the document's module has `postMany` (server/api.ts) — the batch path
 * (batch.ts) takes it for `createDocuments(…, { post: true })`. Everything goes as sets:
 *  - each body is checked and converted as a single write does it (shape, values, beforeWrite,
 *    required fields), the references of all of them in one query per referenced table;
 *  - numbers are taken from the counter in one step per year, the headers inserted in one
 *    statement (json_populate_recordset) — already posted —, tabular rows per document that has
 *    any, and everything read back in one query, as a posting reads its document;
 *  - the module's postMany gets every document with its own record sets, and reads what it needs
 *    for all of them at once;
 *  - each register's movements of all the documents go through the staged COPY path in one
 *    stream (registers/staged.ts: the totals and balances updated once per key and month, keys
 *    left negative refused) under one provisional recorder, then are handed to their documents
 *    (recorder, kind, line) in one UPDATE: new documents have no old movements to replace;
 *  - the journal's «create» and «post» entries in one statement per 1,000.
 * A refusal names the document (`item` on the error: batch.ts prefixes «Документ i из n»).
 */
import { randomUUID } from "node:crypto";
import { toMovements } from "../accounting/entries.ts";
import type { PostingItem } from "../api.ts";
import { nowMoment } from "../calendar.ts";
import { setting } from "../config.ts";
import type { Ctx } from "../context.ts";
import { UserError } from "../errors.ts";
import { journalCreatedPosted } from "../journal/hooks.ts";
import type { DocumentMeta } from "../metadata/types.ts";
import { StagedStream } from "../registers/index.ts";
import { accShape } from "../registers/shape.ts";
import { serialClient } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import {
  apiObjectFromRow,
  checkBodyShape,
  checkReferencesMany,
  checkRequired,
  dbValues,
  documentHeaderValues,
  objectFromRow,
  objectSelect,
  type Row,
  tableOf,
  writeTabularPart,
} from "../storage/objects.ts";
import { queryApi, recordSets } from "./context.ts";
import { codeView } from "./post.ts";

/** An error of the i-th document of the set. */
const ofItem = <E>(e: E, item: number): E =>
  e instanceof Error && (e as { item?: number }).item === undefined ? Object.assign(e, { item }) : e;

/** Whether `m`'s documents can be written and posted as a set: postMany, no afterPost, no workflow, no information registers. */
export function setPostable(ctx: Ctx, m: DocumentMeta): boolean {
  const mod = ctx.conf.modules.get(`document.${m.name}`);
  return Boolean(
    mod?.postMany && !mod.afterPost && !m.workflow && m.registers.every((r) => !ctx.conf.informationRegisters.has(r)),
  );
}

/** Writes and posts `bodies` as new documents of `m` (setPostable); returns their ids in order. */
/** POSTING_PROFILE=1: the phases of a set posting on stderr, in ms from its start. */
const PROFILE = setting("POSTING_PROFILE");

export async function createPostedSet(ctx: Ctx, m: DocumentMeta, bodies: Row[]): Promise<string[]> {
  const { c, conf } = ctx;
  const t0 = performance.now();
  const mark = (what: string) =>
    PROFILE &&
    process.stderr.write(
      `    set posting of ${bodies.length} ${m.name}: ${what} at ${(performance.now() - t0).toFixed(0)} ms\n`,
    );
  const mod = conf.modules.get(`document.${m.name}`)!;
  const api = queryApi(ctx);
  const n = bodies.length;
  // ---- each body as a write checks it ------------------------------------------------------------
  const headers: Map<string, unknown>[] = [];
  const sources: Row[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const body = bodies[i];
      checkBodyShape(m, body);
      const { values, date } = documentHeaderValues(conf, m, body, nowMoment());
      if (body.deletionMark === true)
        throw new UserError(
          `${m.synonym} помечен на удаление: снимите пометку, чтобы провести`,
          { field: "deletionMark" },
          "marked_for_deletion",
        );
      const merged: Row = { ...body, date };
      for (const tp of m.tabularParts) if (!(tp.name in merged)) merged[tp.name] = [];
      let source = merged;
      if (mod.beforeWrite) {
        const doc = codeView(m, merged);
        await mod.beforeWrite({ ...api, doc, isNew: true });
        const names = [...m.attributes.map((a) => a.name), ...m.tabularParts.map((t) => t.name)];
        source = { ...merged, ...Object.fromEntries(names.map((k) => [k, doc[k]])) };
        for (const [k, v] of dbValues(conf, m.attributes, source, {}, m.name)) values.set(k, v);
      }
      headers.push(values);
      sources.push(source);
    } catch (e) {
      throw ofItem(e, i);
    }
  }
  await checkReferencesMany(c, conf, m, sources);
  mark("checked");

  // ---- numbers, headers, tabular parts --------------------------------------------------------------
  const table = tableOf(m);
  const byYear = new Map<number, number[]>();
  headers.forEach((h, i) => {
    if (h.has("number")) return;
    const year = Number(String(h.get("date")).slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), i]);
  });
  for (const [year, which] of byYear) await numberSet(ctx, m, year, which, headers);
  mark("numbered");
  const ids = headers.map(() => randomUUID());
  const columns = [...new Set(headers.flatMap((h) => [...h.keys()]))];
  const records = headers.map((h, i) => {
    const r: Record<string, unknown> = { id: ids[i], posted: true };
    for (const k of columns) r[k] = h.has(k) ? h.get(k) : null;
    return r;
  });
  const cols = ["id", "posted", ...columns].map(q).join(", ");
  try {
    for (let i = 0; i < n; i += 2000)
      await c.query(
        `INSERT INTO ${q(table)} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${q(table)}, $1::json)`,
        [JSON.stringify(records.slice(i, i + 2000))],
      );
  } catch (e) {
    if ((e as { code?: string }).code === "23505")
      throw new UserError(`${m.synonym}: номер уже занят`, { field: "number" }, "conflict");
    throw e;
  }
  for (let i = 0; i < n; i++)
    for (const tp of m.tabularParts) {
      const rows = (sources[i][tp.name] ?? []) as Row[];
      if (rows.length)
        try {
          await writeTabularPart(c, conf, m, tp, ids[i], rows);
        } catch (e) {
          throw ofItem(e, i);
        }
    }
  // as a posting reads its document (the references' presentations aside: neither the handler nor the journal's entry shows them)
  const read = await c.query(
    `WITH u AS (SELECT * FROM ${q(table)} WHERE id = ANY($1::uuid[])) ${objectSelect(m, "u")}`,
    [ids],
  );
  mark("inserted and read back");
  const rowById = new Map<string, Row>(read.rows.map((r: Row) => [String(r.id), r]));
  const rows = ids.map((id) => rowById.get(id)!);
  rows.forEach((row, i) => {
    try {
      checkRequired(m, objectFromRow(m, row, "json"));
    } catch (e) {
      throw ofItem(e, i);
    }
  });

  // ---- the module's set posting -------------------------------------------------------------------
  const serial = { ...ctx, c: serialClient(c) };
  const sets = rows.map(() => recordSets(m));
  const items: PostingItem[] = rows.map((row, i) => {
    const doc = objectFromRow(m, row, "code") as PostingItem["doc"];
    doc.posted = false; // as it was before this posting
    return {
      doc,
      movements: sets[i].movements,
      error: (message, target) => Object.assign(api.error(message, target), { item: i }),
    };
  });
  await mod.postMany!({ ...queryApi(serial), progress: () => {} }, items);
  mark("handler done");

  // ---- the movements, register by register in name order -----------------------------------------
  for (const name of [...m.registers].sort()) {
    const acr = conf.accountingRegisters.get(name);
    const reg = conf.accumulationRegisters.get(name) ?? acr?.storage;
    if (!reg) continue;
    const all: Row[] = [];
    const owner: number[] = [];
    const lineOf: number[] = [];
    if (acr) {
      // all the documents' entries checked in one pass (one read of the chart), then numbered per document
      const entries: Row[] = [];
      const entryDoc: number[] = [];
      const firstEntry: number[] = [];
      sets.forEach((s, i) => {
        firstEntry.push(entries.length);
        for (const e of s.sets.get(name)!) entries.push({ period: items[i].doc.date, ...e }), entryDoc.push(i);
      });
      const counts = new Array<number>(n).fill(0);
      for (const mv of await toMovements(c, conf, acr, entries)) {
        const i = entryDoc[Number(mv.Entry) - 1];
        mv.Entry = Number(mv.Entry) - firstEntry[i];
        all.push(mv), owner.push(i), lineOf.push(++counts[i]);
      }
    } else
      sets.forEach((s, i) => {
        s.sets.get(name)!.forEach((mv, k) => {
          all.push({ period: items[i].doc.date, ...mv }), owner.push(i), lineOf.push(k + 1);
        });
      });
    if (!all.length) continue;
    const provisional = { id: randomUUID(), kind: m.name };
    const stream = new StagedStream(serial.c, conf, reg, all, String(items[0].doc.date), provisional);
    try {
      await (await stream.queue()).done;
    } catch (e) {
      await stream.settle();
      throw e;
    }
    mark(`${name}: staged`);
    await serial.c.query(
      `UPDATE ${q(accShape(reg).table)} t SET recorder = x.r, recorder_kind = $2, line = x.l
         FROM unnest($3::int[], $4::uuid[], $5::int[]) AS x(g, r, l)
        WHERE t.recorder = $1 AND t.line = x.g`,
      [provisional.id, m.name, all.map((_, g) => g + 1), owner.map((i) => ids[i]), lineOf],
    );
  }

  mark("movements written");

  // ---- the journal --------------------------------------------------------------------------------
  const saved = rows.map((row) => apiObjectFromRow(conf, m, row));
  mark("journal's objects");
  await journalCreatedPosted(ctx, m, saved);
  mark("journal written");
  return ids;
}

/** Numbers for the documents `which` of `year`: the counter advanced once by their count; numbers already taken skipped. */
async function numberSet(ctx: Ctx, m: DocumentMeta, year: number, which: number[], headers: Map<string, unknown>[]) {
  const table = tableOf(m);
  let left = which;
  for (let round = 0; left.length && round < 10; round++) {
    const r = await ctx.c.query(
      `INSERT INTO _numbering(kind, year, last) VALUES ($1, $2, $3)
       ON CONFLICT (area, kind, year) DO UPDATE SET last = _numbering.last + $3 RETURNING last`,
      [`document.${m.name}`, year, left.length],
    );
    const last = Number(r.rows[0].last);
    const numbers = left.map((_, k) => String(last - left.length + 1 + k).padStart(m.numberLength, "0"));
    if (numbers.some((x) => x.length > m.numberLength))
      throw new UserError(
        `${m.synonym}: номера длиной ${m.numberLength} в ${year} году исчерпаны`,
        { field: "number" },
        "numbers_exhausted",
      );
    // the numbers are consecutive and of one length: one range of the (year, number) index
    const taken = new Set(
      (
        await ctx.c.query(
          `SELECT number FROM ${q(table)} WHERE date_part('year', date) = $1 AND number BETWEEN $2 AND $3`,
          [year, numbers[0], numbers[numbers.length - 1]],
        )
      ).rows.map((x: { number: string }) => x.number),
    );
    const next: number[] = [];
    left.forEach((i, k) => (taken.has(numbers[k]) ? next.push(i) : headers[i].set("number", numbers[k])));
    left = next;
  }
  if (left.length)
    throw new UserError(`${m.synonym}: не найдено свободных номеров в ${year} году`, { field: "number" }, "conflict");
}
