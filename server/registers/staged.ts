/**
 * Large record sets (more than COPY_THRESHOLD rows): the rows are COPYed into a temporary
 * staging table, pg_temp.acc_<r>__in, and acc_<r>__write_staged (ddl.ts) does the rest
 * set-based. One way in, StagedStream, for a posting handler's set after the handler has
 * returned (documents/post.ts) and for a set given in full (post.ts#writeRecordSet). Batches of
 *    STREAM_BATCH rows are validated, converted to COPY text and sent as one COPY each, queued
 *    without waiting, so PostgreSQL takes one while node converts the next; then the staged
 *    function is queued, and the engine goes on converting the next register's set while
 *    PostgreSQL writes this one (documents/post.ts) — up to IN_FLIGHT bytes of converted
 *    text wait for the database; each record is let go as soon as it is converted.
 *    Measured on one posting of 1.2M records in two registers: converting while the handler
 *    still added records left PostgreSQL mostly idle during the handler and node idle during
 *    the writes (38 s); writing each batch to the register as it came cost twice the database
 *    time of one staged call (41.6 s); inserting each batch straight into the movements table
 *    (its delta kept aside) took as long as staging it, with more memory (37–39 s, 1.9 GB).
 *    Batches as jsonb literals (jsonb_array_elements and a cast per value) cost PostgreSQL 5 s
 *    more CPU than COPY (28.0 → 23.0 s for the whole posting).
 * A refused row throws the same UserError as the small path; a failed statement fails the
 * posting. Either way the caller's transaction is rolled back.
 */
import type { AccumulationRegisterMeta, Configuration } from "../metadata/types.ts";
import { serially, type Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { CopyBuffer, copyText, copyValue } from "./copy.ts";
import { mapPostingError } from "./errors.ts";
import { handlerMovement, preparer, type MovementInput } from "./prepare.ts";
import { accShape, type AccShape } from "./shape.ts";

import type { Recorder } from "./post.ts";

/** Rows per COPY while a handler streams its set. */
export const STREAM_BATCH = 20_000;
/**
 * Bytes of converted batches that may wait for the database: a few batches, so node converts
 * while PostgreSQL copies. Past the handler the posting is bound by PostgreSQL: with 96 MB the
 * next register's set was converted while the database still wrote this one, and the posting
 * took exactly as long, holding the text meanwhile.
 */
const IN_FLIGHT = 10 << 20;
const DONE: Record<string, unknown> = Object.freeze({});

/** Which prepared values ([period, kind, dims…, resources…, attributes…]) are text that may need escaping. */
const textualCache = new WeakMap<AccShape, boolean[]>();
function textual(s: AccShape): boolean[] {
  let t = textualCache.get(s);
  if (!t)
    textualCache.set(
      s,
      (t = [false, false, ...[...s.dims, ...s.res, ...s.attrs].map((f) => f.f.type.kind === "string")]),
    );
  return t;
}

/** One COPY text line: the line number, then the prepared row's values. */
function copyLine(text: boolean[], line: number, r: unknown[]): string {
  let out = String(line);
  for (let j = 0; j < r.length; j++) {
    const v = r[j];
    out +=
      "\t" +
      (text[j]
        ? copyValue(v)
        : v === null || v === undefined
          ? "\\N"
          : v === true
            ? "t"
            : v === false
              ? "f"
              : String(v));
  }
  return out + "\n";
}

/** The staging table, created anew (also by acc_<r>__write when it hands a large repost to the staged function, ddl.ts). */
export function stagingDdl(s: AccShape): string {
  const cols = [
    "line integer",
    "period timestamp(0) without time zone",
    "record_kind smallint",
    ...[...s.dims, ...s.res, ...s.attrs].map((f) => `${q(f.col)} ${f.sqlType}`),
  ];
  return `DROP TABLE IF EXISTS pg_temp.${q(s.staging)}; CREATE TEMP TABLE ${q(s.staging)} (${cols.join(", ")}) ON COMMIT DROP;`;
}

const copySql = (s: AccShape) => `COPY pg_temp.${q(s.staging)} FROM STDIN`;

const callStaged = (c: Client, s: AccShape, recorder: Recorder, check: boolean) =>
  c.query(`SELECT ${q(s.stagedFn)}($1, $2, $3)`, [recorder.id, recorder.kind, check]);

/** Where a stream's movements come from: `count` of them, the i-th by `at` (then let go by `release`). */
interface MovementSource {
  count: number;
  at(i: number): MovementInput;
  release(i: number): void;
  /** The records are all converted: the source may let go of them. */
  done(): void;
  /** `at` returns movements the source made for the stream, which the preparer may keep (see preparer's `own`). */
  own: boolean;
}

/** A large record set, staged batch by batch and written by the staged function. */
export class StagedStream {
  private readonly s: AccShape;
  private readonly one: ReturnType<typeof preparer>;
  private readonly source: MovementSource;
  private readonly checkNegative: boolean;
  private sent = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Batches sent and not yet taken by the database, with their size in bytes. */
  private flights: { done: Promise<void>; size: number }[] = [];
  private inFlight = 0;
  /** The size to allocate for a batch's COPY text: the largest so far, and some. */
  private batchBytes = 1 << 20;
  private failure: unknown = null;
  /** A posting handler's records (see handlerMovement), each let go once converted. */
  constructor(
    c: Client,
    conf: Configuration,
    reg: AccumulationRegisterMeta,
    rows: Record<string, unknown>[],
    defaultPeriod: string,
    recorder: Recorder,
  );
  /** A set of movements given in full (writeRecordSet): `count` of them, the i-th by `at`; `check`: refuse keys left negative. */
  constructor(
    c: Client,
    conf: Configuration,
    reg: AccumulationRegisterMeta,
    movements: { count: number; at: (i: number) => MovementInput; check: boolean },
    recorder: Recorder,
  );
  constructor(
    private readonly c: Client,
    private readonly conf: Configuration,
    private readonly reg: AccumulationRegisterMeta,
    rows: Record<string, unknown>[] | { count: number; at: (i: number) => MovementInput; check: boolean },
    defaultPeriodOrRecorder: string | Recorder,
    recorder?: Recorder,
  ) {
    this.s = accShape(reg);
    if (Array.isArray(rows)) {
      let records = rows;
      const defaultPeriod = defaultPeriodOrRecorder as string;
      this.recorder = recorder!;
      this.checkNegative = reg.controlNegative && reg.registerKind === "balance";
      this.source = {
        count: records.length,
        at: (i) => handlerMovement(conf, reg, records[i], i, defaultPeriod),
        release: (i) => void (records[i] = DONE), // converted: the record may go now, not with the whole set
        done: () => void (records = []), // the engine drops its own reference too
        own: true,
      };
    } else {
      this.recorder = defaultPeriodOrRecorder as Recorder;
      this.checkNegative = rows.check;
      this.source = { count: rows.count, at: rows.at, release: () => {}, done: () => {}, own: false };
    }
    this.one = preparer(conf, this.s, this.source.own);
  }
  private readonly recorder: Recorder;

  /**
   * Sends rows [sent, upto) as ONE COPY into the staging table (created before the first batch):
   * PostgreSQL's cheapest way in, one round trip per batch.
   */
  private send(upto: number): void {
    // Validated and converted now (a refusal throws here, naming the record), sent in turn.
    const text = textual(this.s);
    const out = new CopyBuffer(this.batchBytes);
    const source = this.source;
    for (let i = this.sent; i < upto; i++) {
      out.push(copyLine(text, i + 1, this.one(source.at(i), i)));
      source.release(i);
    }
    const { s, c } = this;
    const first = this.sent === 0;
    this.sent = upto;
    // Batches run one after another; after a failure the rest are skipped (the transaction is
    // aborted) and queue()'s `done` reports the first error.
    this.chain = this.chain
      .then(async () => {
        if (this.failure) return;
        if (first) await c.query(stagingDdl(s));
        await serially(c, (raw) => copyText(raw, copySql(s), out.bytes()));
      })
      .catch((e) => {
        try {
          mapPostingError(e, this.conf, this.reg);
        } catch (mapped) {
          this.failure ??= mapped;
        }
      });
    this.batchBytes = Math.max(this.batchBytes, out.size + (out.size >> 3));
    this.flights.push({ done: this.chain, size: out.size });
    this.inFlight += out.size;
  }

  /** Waits for the batches in flight (after a failure, before the rollback). */
  async settle(): Promise<void> {
    await this.chain;
  }

  /**
   * Writes the set: batch by batch, each validated and converted here and queued on the
   * connection without waiting for the one before — the event loop turns between batches, so
   * PostgreSQL inserts one while the next is converted — then the staged function is queued.
   * Resolves once everything is queued, with `done`, which settles when the database has
   * finished: meanwhile the caller converts the next register's set.
   */
  async queue(): Promise<{ done: Promise<void> }> {
    const count = this.source.count;
    while (this.sent < count) {
      // Converted text waits for the database up to IN_FLIGHT bytes: a register's set is
      // converted while the database still writes the one before, and never held whole when large.
      while (this.inFlight > IN_FLIGHT) {
        const f = this.flights.shift()!;
        await f.done;
        this.inFlight -= f.size;
      }
      this.send(Math.min(count, this.sent + STREAM_BATCH));
      await new Promise((r) => setImmediate(r));
    }
    this.source.done(); // converted: the records may go
    const empty = this.sent === 0;
    const done = this.chain.then(async () => {
      if (this.failure) throw this.failure;
      try {
        if (empty) await this.c.query(stagingDdl(this.s)); // an empty set (a clear): no batch created the table
        await callStaged(this.c, this.s, this.recorder, this.checkNegative);
      } catch (e) {
        mapPostingError(e, this.conf, this.reg);
      }
    });
    done.catch(() => {}); // the caller awaits it; it must not count as unhandled meanwhile
    return { done };
  }
}
