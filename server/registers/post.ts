/**
 * Writing accumulation registers: a document's record set, replaced as a whole on every
 * (re)posting and cleared on unposting. Called by the document engine (documents/post.ts)
 * inside the posting transaction, after it has locked the document row; readRecordSet serves
 * the UI's «Движения». The heavy lifting is server-side (ddl.ts): a record set of up to
 * COPY_THRESHOLD rows goes as one jsonb argument to acc_<r>__write — one round trip per
 * register per document; a larger one is COPYed into a temporary table and handed to
 * acc_<r>__write_staged, which does the same set-based.
 *
 * Concurrency (why totals neither deadlock nor lose updates, and why data areas never wait for
 * each other):
 *  1. Reposts of one document are serialized by the document engine's row lock. Without it,
 *     two writers of one recorder still cannot corrupt the totals: the second one's DELETE
 *     waits for the first and then finds its rows gone, and its INSERT of the same lines fails
 *     on the primary key (recorder, line) — an error, never a silent double count.
 *  2. After the movements are written the difference is aggregated per (dimensions, month).
 *     Before any totals or balance row is read or written, the function takes the register's
 *     data-area lock, pg_advisory_xact_lock_shared(<register area class>, area), then
 *     pg_advisory_xact_lock(<register key class>, hashtext(area, dimensions)) for every touched
 *     key, in ascending hash order. Every writer of the register takes its locks in that one
 *     global order — area lock first, then keys by hash — and holds them to commit, so writers of
 *     disjoint keys run in parallel, writers of a shared key queue up (no lost update: each reads
 *     the totals only after the previous writer committed), and there is no lock cycle between
 *     two writers. A hash collision only makes two keys share a lock.
 *  3. A record set touching more than KEY_LOCK_LIMIT (1000) keys takes the data-area lock
 *     exclusively instead and no key locks: PostgreSQL's lock table (max_locks_per_transaction
 *     × connections, 6400 slots by default) cannot hold a lock per key of a 100k-key record set.
 *     It waits for the writers of this register in this area that hold the lock shared, and
 *     excludes them until commit; writers of other areas lock another (class, area) pair and
 *     never wait for it (readers are never blocked). Its place in the order is that of the shared
 *     lock, before every key lock of the register, so point 2's argument holds unchanged.
 *     registers/verify.ts#rebuild takes the same exclusive lock. (This replaced a LOCK TABLE of
 *     the totals and balance in SHARE ROW EXCLUSIVE mode, which stopped every area's postings.)
 *  4. Within a transaction, registers must be written in a stable order (documents/post.ts
 *     writes them sorted by name), else two documents posting the same registers in opposite
 *     orders could deadlock across registers; PostgreSQL would then abort one (40P01). A
 *     transaction that writes one register twice in one area, a small set and then a large one,
 *     upgrades its shared area lock to exclusive: two such transactions, or one and a writer
 *     waiting for its key locks, form a cycle, which PostgreSQL detects and aborts (40P01) — as it
 *     did with the table lock. The platform writes each register once per document; a large
 *     record set in a transaction of several documents should come first.
 * Large stored sets (unposting, reposting): acc_<r>__write hands a recorder with more than
 * COPY_THRESHOLD movements stored to acc_<r>__write_staged (ddl.ts#handOver) — clearing a set
 * costs about what posting it did, never the small function's per-key loops over a large delta.
 * Negative control (reg.controlNegative): after the balance is updated, a touched key any of
 * whose resources went down in this write and whose all-time balance (acc_<r>__balance) is now
 * below zero fails the statement (SQLSTATE ZR001) — the transaction cannot commit — and becomes
 * a UserError "negative_balance" naming the register, the key and the shortfall. Keys whose
 * balance rose (a receipt) are not refused even if still negative. Clearing a set (unposting)
 * is checked the same way: unposting a receipt whose goods were sold is refused.
 */
import { createHash } from "node:crypto";
import { Decimal } from "decimal.js";
import { invariant } from "../errors.ts";
import type { AccumulationRegisterMeta, Configuration } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { accumTable, q } from "../storage/naming.ts";
import { forJson, UUID_RE } from "../storage/values.ts";
import { mapPostingError } from "./errors.ts";
import { handlerMovement, type MovementInput, prepare, prepareAt } from "./prepare.ts";
import { type AccShape, accShape, dimOut, resOut } from "./shape.ts";
import { StagedStream } from "./staged.ts";

export type { MovementInput } from "./prepare.ts";

export interface Recorder {
  id: string;
  /** The recorder's metadata name, e.g. "GoodsReceipt". */
  kind: string;
}

export interface WriteOptions {
  /** Refuse keys left negative; defaults to the register's controlNegative. */
  checkNegative?: boolean;
}

/** Record sets larger than this go through COPY and a staging table. */
export const COPY_THRESHOLD = 5000;

/** Sums wide enough for any record set: 60 significant digits. */
const Sum = Decimal.clone({ precision: 60 });

/**
 * The record set aggregated per (month, dimensions): [month, dims…, receipts…, expenses…]
 * (turnover registers: [month, dims…, turnovers…]), all-zero rows left out. Sent with the rows
 * so the server function need not group them (it still merges in the old set on a repost).
 */
function deltaOf(s: AccShape, rows: unknown[][]): unknown[][] {
  const nd = s.dims.length,
    nr = s.res.length;
  const width = s.isBalance ? 2 * nr : nr;
  // Per group the sums as the rows' own decimal strings while a group has one row (the usual
  // document), as Decimal once a second row is added: posting a small set does no arithmetic.
  const groups = new Map<string, { head: unknown[]; sums: (string | Decimal)[] }>();
  for (const row of rows) {
    const month = (row[0] as string).slice(0, 7) + "-01";
    let key = month;
    for (let i = 2; i < 2 + nd; i++) key += "\u001f" + String(row[i]);
    let g = groups.get(key);
    if (!g) {
      g = { head: [month, ...row.slice(2, 2 + nd)], sums: new Array(width).fill("0") };
      groups.set(key, g);
    }
    const at = row[1] === -1 && s.isBalance ? nr : 0;
    for (let i = 0; i < nr; i++) {
      const v = row[2 + nd + i] as string;
      const cur = g.sums[at + i];
      g.sums[at + i] = cur === "0" ? v : new Sum(cur as string | Decimal).plus(v);
    }
  }
  const out: unknown[][] = [];
  for (const g of groups.values()) {
    const sums = g.sums.map((x, i) =>
      typeof x === "string" ? withScale(x, s.res[i % nr].scale) : x.toFixed(s.res[i % nr].scale),
    );
    if (sums.every(isZeroText)) continue;
    out.push([...g.head, ...sums]);
  }
  return out;
}

const isZeroText = (x: string) => /^-?0*\.?0*$/.test(x);

/** "4" or "4.5" with scale 3 → "4.000" / "4.500" (the converters admit at most `scale` decimals). */
function withScale(x: string, scale: number): string {
  const dot = x.indexOf(".");
  if (scale === 0) return dot < 0 ? x : x.slice(0, dot);
  if (dot < 0) return x + "." + "0".repeat(scale);
  const frac = x.length - dot - 1;
  return frac >= scale ? x : x + "0".repeat(scale - frac);
}

function checkRecorder(s: AccShape, recorder: Recorder): void {
  if (!recorder || typeof recorder.id !== "string" || !UUID_RE.test(recorder.id))
    throw new Error(`${s.table}: recorder id must be a UUID, got ${JSON.stringify(recorder?.id)}`);
  if (typeof recorder.kind !== "string" || recorder.kind.length > 64)
    throw new Error(`${s.table}: recorder kind must be a string of at most 64 characters`);
}

/**
 * Replaces the recorder's record set in the register (empty rows = clear) and updates the
 * totals and the balance by the difference; refuses a negative balance when the register
 * controls it. Runs in the caller's transaction (tx() of storage/db.ts, area set).
 */
export async function writeRecordSet(
  c: Client,
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  recorder: Recorder,
  rows: MovementInput[],
  opts: WriteOptions = {},
): Promise<void> {
  const count = rows.length;
  const at = (i: number) => rows[i];
  const s = accShape(reg);
  checkRecorder(s, recorder);
  const check = (opts.checkNegative ?? reg.controlNegative) && s.isBalance;
  try {
    if (count > COPY_THRESHOLD) {
      // the large path: the same StagedStream a posting handler's large set takes (documents/post.ts)
      const stream = new StagedStream(c, conf, reg, { count, at, check }, recorder);
      try {
        await (await stream.queue()).done;
      } catch (e) {
        await stream.settle(); // batches already queued finish (and fail) before the caller rolls back
        throw e;
      }
      return;
    }
    const prepared = prepare(conf, s, rows);
    await c.query({
      name: s.writeFn,
      text: `SELECT ${q(s.writeFn)}($1, $2, $3, $4)`,
      values: [recorder.id, recorder.kind, check, JSON.stringify({ rows: prepared, delta: deltaOf(s, prepared) })],
    });
  } catch (e) {
    mapPostingError(e, conf, reg);
  }
}

/** One register's small record set from a posting handler (see handlerMovement). */
export interface HandlerRecordSet {
  reg: AccumulationRegisterMeta;
  rows: Record<string, unknown>[];
}

/**
 * Writes several registers' small record sets (each at most COPY_THRESHOLD rows) of one
 * recorder in one round trip: `SELECT acc_a__write(…), acc_b__write(…)`. PostgreSQL evaluates
 * a target list in order, so the registers are written (and their locks taken) in the order
 * given — the caller's lock order. A refusal names the register that refused.
 */
export async function writeHandlerRecordSets(
  c: Client,
  conf: Configuration,
  recorder: Recorder,
  sets: HandlerRecordSet[],
  defaultPeriod: string,
): Promise<void> {
  if (sets.length === 0) return;
  const calls: string[] = [];
  const values: unknown[] = [recorder.id, recorder.kind];
  const names: string[] = [];
  for (const { reg, rows } of sets) {
    const s = accShape(reg);
    checkRecorder(s, recorder);
    invariant(rows.length <= COPY_THRESHOLD, `${reg.name}: a set of ${rows.length} rows goes through StagedStream`);
    const check = reg.controlNegative && s.isBalance;
    const prepared = prepareAt(
      conf,
      s,
      rows.length,
      (i) => handlerMovement(conf, reg, rows[i], i, defaultPeriod),
      true,
    );
    values.push(check, JSON.stringify({ rows: prepared, delta: deltaOf(s, prepared) }));
    calls.push(`${q(s.writeFn)}($1, $2, $${values.length - 1}, $${values.length})`);
    names.push(s.writeFn);
  }
  try {
    await c.query({ name: preparedName(names), text: `SELECT ${calls.join(", ")}`, values });
  } catch (e) {
    const err = e as { message?: string; table?: string };
    const refused = sets.find(
      ({ reg }) => err?.table === accumTable(reg.name) || err?.message?.startsWith(`${accumTable(reg.name)}:`),
    );
    if (refused) mapPostingError(e, conf, refused.reg);
    throw e;
  }
}

/**
 * The prepared statement's name for one combination of write functions: their names joined, or,
 * past PostgreSQL's 63-byte identifier limit (which would truncate two long combinations to the
 * same name), the combination's hash.
 */
export function preparedName(writeFns: string[]): string {
  const joined = writeFns.join("+");
  if (Buffer.byteLength(joined) <= 63) return joined;
  return `acc_write_${createHash("sha256").update(joined).digest("hex").slice(0, 40)}`;
}

/**
 * A record set as acc_<r>__write takes it: validated and prepared (throws before anything is
 * sent), with its delta per (month, key) and whether to check negatives; null for a set larger
 * than COPY_THRESHOLD rows. For callers that build their own statements (bench/group-commit:
 * one round trip per transaction, group commit).
 */
export function recordSetPayload(
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  recorder: Recorder,
  rows: MovementInput[],
  opts: WriteOptions = {},
): { check: boolean; rows: unknown[][]; delta: unknown[][] } | null {
  const s = accShape(reg);
  checkRecorder(s, recorder);
  if (rows.length > COPY_THRESHOLD) return null;
  const check = (opts.checkNegative ?? reg.controlNegative) && s.isBalance;
  const prepared = prepare(conf, s, rows);
  return { check, rows: prepared, delta: deltaOf(s, prepared) };
}

/**
 * Removes the recorder's record set (unposting) and its effect on the totals. One call of
 * acc_<r>__write with an empty set, which hands a large stored set to the staged function.
 */
export async function clearRecordSet(
  c: Client,
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  recorderId: string,
  opts: WriteOptions = {},
): Promise<void> {
  await writeRecordSet(c, conf, reg, { id: recorderId, kind: "" }, [], opts);
}

/**
 * The recorder's movements for the UI («Движения»), by line: line, period, recordKind
 * ("receipt"/"expense", balance registers only), dimensions (null when empty), resources as
 * decimal strings, attributes — keys are metadata names.
 */
export async function readRecordSet(
  c: Client,
  reg: AccumulationRegisterMeta,
  recorderId: string,
): Promise<Record<string, unknown>[]> {
  return (await readRecordSets(c, reg, [recorderId])).get(recorderId) ?? [];
}

/** readRecordSet for several recorders in one statement: recorder → its records, by line. */
export async function readRecordSets(
  c: Client,
  reg: AccumulationRegisterMeta,
  recorderIds: string[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const s = accShape(reg);
  const ids = [...new Set(recorderIds)].filter((id) => UUID_RE.test(id));
  const sets = new Map<string, Record<string, unknown>[]>();
  if (ids.length === 0) return sets;
  const cols = [...s.dims, ...s.res, ...s.attrs].map((f) => q(f.col)).join(", ");
  const r = await c.query(
    `SELECT recorder, line, period, record_kind, ${cols} FROM ${q(s.table)} WHERE recorder = ANY($1::uuid[]) ORDER BY recorder, line`,
    [ids],
  );
  for (const row of r.rows) {
    const out: Record<string, unknown> = { line: row.line, period: row.period };
    if (s.isBalance) out.recordKind = row.record_kind === 1 ? "receipt" : "expense";
    for (const d of s.dims) out[d.f.name] = dimOut(d, row[d.col]);
    for (const x of s.res) out[x.f.name] = resOut(x, row[x.col]);
    for (const a of s.attrs) out[a.f.name] = forJson(a.f.type, row[a.col]);
    const recorder = String(row.recorder);
    let set = sets.get(recorder);
    if (!set) sets.set(recorder, (set = []));
    set.push(out);
  }
  return sets;
}
