/**
 * Posting and unposting inside the caller's transaction. The document row is locked first:
 * `UPDATE … SET posted = true … RETURNING` takes the row lock and reads the document with its
 * tabular parts in one round trip, so concurrent reposts of one document queue up here and
 * never interleave their register writes. Then the module's post handler runs, and each
 * register the document lists gets its record set replaced, in name order (a stable lock
 * order across documents). A refusal anywhere rolls the transaction back.
 */
import { toMovements } from "../accounting/entries.ts";
import { Decimal } from "decimal.js";
import type { Configuration, DocumentMeta } from "../metadata/types.ts";
import { UserError, invariant, notFound } from "../errors.ts";
import { q } from "../storage/naming.ts";
import { prepared, serialClient } from "../storage/db.ts";
import { ormOf } from "../storage/orm.ts";
import { apiObjectFromRow, checkRequired, objectFromRow, objectSelect, tableOf, type Row } from "../storage/objects.ts";
import { signedField } from "../signatures/store.ts";
import { queryApi, recordSets } from "./context.ts";
import type { Ctx } from "../context.ts";
import type { Progress } from "../jobs.ts";
import {
  writeHandlerRecordSets,
  clearRecordSet,
  writeInfoRecordSet,
  clearInfoRecordSet,
  COPY_THRESHOLD,
  StagedStream,
  type HandlerRecordSet,
} from "../registers/index.ts";
import { setting } from "../config.ts";
import type { PostingContext } from "../api.ts";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The document as handler code sees it: numbers as Decimal. */
export function codeView(m: DocumentMeta, obj: Row): Row {
  const conv = (fields: { name: string; type: { kind: string } }[], src: Row) => {
    const out: Row = { ...src };
    for (const f of fields) {
      const v = src[f.name];
      // A value that is not a number stays as it came: validation refuses it by field later.
      if (f.type.kind === "number" && v != null && v !== "" && !Decimal.isDecimal(v) && NUMBER.test(String(v).trim()))
        out[f.name] = new Decimal(String(v).trim());
    }
    return out;
  };
  const doc = conv(m.attributes, obj);
  for (const tp of m.tabularParts) doc[tp.name] = ((obj[tp.name] ?? []) as Row[]).map((r) => conv(tp.attributes, r));
  return doc;
}

const noProgress: Progress = () => {};

/** POSTING_PROFILE=1: the phases of every posting (handler, each register converted / written) on stderr, in ms from its start. */
const PROFILE = setting("POSTING_PROFILE");
type Mark = (what: string) => void;
function profiler(doc: string): Mark {
  if (!PROFILE) return () => {};
  const t0 = performance.now();
  return (what) =>
    process.stderr.write(
      `    posting ${doc}: ${what} at ${(performance.now() - t0).toFixed(0)} ms, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`,
    );
}

/** The stage a background posting shows while the engine writes the record sets. */
export const WRITING_STAGE = "Запись движений";

/** Per document kind, the statement that marks a document posted and reads it back, built once. */
const postingReads = new WeakMap<DocumentMeta, string>();

/**
 * The posting's first statement: marks document $1 posted — which takes its row lock — and
 * reads it back with its tabular parts, its references' presentations and «Подписан».
 */
export function lockAndReadSql(conf: Configuration, m: DocumentMeta): string {
  let text = postingReads.get(m);
  if (!text) {
    text = `WITH u AS (UPDATE ${q(tableOf(m))} SET posted = true WHERE id = $1 RETURNING *) ${objectSelect(m, "u", { refsIn: conf, extra: signedField(m.name) })}`;
    postingReads.set(m, text);
  }
  return text;
}

/**
 * Posts the document in the caller's transaction and returns it as the API shows it (posted,
 * with its references' presentations and «Подписан»): the locking UPDATE read all of it.
 */
export async function postLocked(
  ctx: { c: Ctx["c"]; conf: Ctx["conf"]; area: number },
  m: DocumentMeta,
  id: string,
  progress: Progress = noProgress,
): Promise<Row> {
  const { c, conf } = ctx;
  const r = await c.query(prepared(lockAndReadSql(conf, m), [id]));
  if (r.rowCount === 0) throw notFound(`${m.synonym}: документ ${id} не найден`);
  const row = r.rows[0];
  if (row.deletion_mark)
    throw new UserError(
      `${m.synonym} №${row.number} помечен на удаление: снимите пометку, чтобы провести`,
      { field: "deletionMark" },
      "marked_for_deletion",
    );
  checkRequired(m, objectFromRow(m, row, "json"));
  // A stored document: its id, number and date are there (objectFromRow reads every system field).
  const doc = objectFromRow(m, row, "code") as PostingContext["doc"];
  doc.posted = false; // as it was before this posting
  const { sets, movements } = recordSets(m);
  const handler = conf.modules.get(`document.${m.name}`)?.post;
  // One serial view of the connection for the handler and the writes: a handler may ask several
  // things at once (Promise.all), the writes queue a large set's batches; they reach the
  // connection one after another, each as soon as the previous one is done.
  const serial = { ...ctx, c: serialClient(c) };
  const mark = profiler(m.name);
  if (handler)
    await handler({
      ...queryApi(serial),
      doc,
      movements,
      progress: (done: number, total: number, stage?: string) => progress(done, total, stage),
    });
  mark("handler done");
  await writeSets(serial, m, id, doc.date, sets, progress, mark);
  mark("written");
  return apiObjectFromRow(conf, m, row, signedField(m.name));
}

/**
 * Writes the handler's record sets, register by register in name order (the lock order); the
 * small accumulation sets of registers next to each other in that order go in one statement. A
 * large accumulation set (registers/staged.ts) is converted and queued batch by batch; its
 * database work then runs while the next register's set is converted: every statement goes
 * through the caller's serial view of the connection, in order. A failure anywhere is reported
 * as the first statement that failed (those after it only saw the aborted transaction).
 */
async function writeSets(
  ctx: { c: Ctx["c"]; conf: Ctx["conf"] },
  m: DocumentMeta,
  id: string,
  date: string,
  sets: Map<string, Row[]>,
  progress: Progress,
  mark: Mark,
): Promise<void> {
  const { c, conf } = ctx;
  const recorder = { id, kind: m.name };
  const registers = [...m.registers].sort();
  const pending: Promise<void>[] = [];
  const streams: StagedStream[] = [];
  const firstFailure = async () => {
    for (const r of await Promise.allSettled(pending)) if (r.status === "rejected") return r.reason;
    return undefined;
  };
  // Small accumulation sets wait here to go together, in one round trip, before the next write of another kind.
  let small: HandlerRecordSet[] = [];
  const writeSmall = async () => {
    await writeHandlerRecordSets(c, conf, recorder, small, date);
    small = [];
  };
  try {
    for (const [i, name] of registers.entries()) {
      progress(i, registers.length, WRITING_STAGE);
      // An accounting register's entries are checked and written as its storage's movements.
      const acr = conf.accountingRegisters.get(name);
      const rows = acr ? await toMovements(c, conf, acr, sets.get(name)!) : sets.get(name)!;
      const acc = conf.accumulationRegisters.get(name) ?? acr?.storage;
      if (acc && rows.length <= COPY_THRESHOLD) {
        small.push({ reg: acc, rows });
        continue;
      }
      await writeSmall();
      if (acc) {
        const stream = new StagedStream(c, conf, acc, rows, date, recorder);
        streams.push(stream);
        const { done } = await stream.queue();
        mark(`${name} converted`);
        if (PROFILE)
          done.then(
            () => mark(`${name} written`),
            () => {},
          );
        pending.push(done);
        sets.set(name, []); // converted and queued: the records need not stay in memory
        continue;
      }
      const inf = conf.informationRegisters.get(name);
      invariant(inf, `register ${name} of document ${m.name} exists`);
      const inputs = rows.map((row) => {
        const { period, ...values } = row;
        return { period: String(period ?? date).slice(0, 10), values };
      });
      await writeInfoRecordSet(c, conf, inf, recorder, inputs);
    }
    await writeSmall();
  } catch (e) {
    await Promise.all(streams.map((s) => s.settle()));
    throw (await firstFailure()) ?? e;
  }
  const failed = await firstFailure();
  if (failed) throw failed;
}

export async function unpostLocked(
  ctx: { c: Ctx["c"]; conf: Ctx["conf"] },
  m: DocumentMeta,
  id: string,
): Promise<void> {
  const { c, conf } = ctx;
  for (const name of [...m.registers].sort()) {
    const acc = conf.accumulationRegisters.get(name) ?? conf.accountingRegisters.get(name)?.storage;
    if (acc) await clearRecordSet(c, conf, acc, id);
    const inf = conf.informationRegisters.get(name);
    if (inf) await clearInfoRecordSet(c, conf, inf, id);
  }
  await ormOf(c).getRepository(tableOf(m)).update({ id }, { posted: false });
}
