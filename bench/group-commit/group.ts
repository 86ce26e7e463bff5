/**
 * Group commit of register writes — a measured alternative (bench/registers.ts), not part of the
 * product. It left server/registers/ because nothing in the product posts through it: the batch
 * route (server/documents/batch.ts) is all-or-nothing in the caller's one transaction, and
 * postDocument runs handlers that read balances inside their own transaction, while group commit
 * runs its own transactions and gives each concurrent caller its own fate. Its write_many
 * functions are created by installWriteMany (write-many.ts).
 *
 * Group commit of register writes. Concurrent postings of ready record sets are combined: while
 * a batch is in flight the next requests queue up, and when one of `inFlight` (2) slots is free
 * what is queued for one data area — up to maxDocs documents and maxRows movements — goes as ONE
 * transaction in ONE round trip (txBatch): the document rows locked (per document table, sorted
 * by id), then per register (sorted by name) one call of acc_<r>__write_many (write-many.ts) with
 * all the batch's record sets of that register, then COMMIT. Statement start-up, round trips and
 * the commit are paid once per batch instead of once per document (measured: a transaction costs
 * PostgreSQL ~0.55 ms of CPU, a 5-movement document's rows ~0.3 ms); two slots let two backends
 * work side by side while node prepares the next batch (see take() for when a second starts).
 *
 * Semantics are those of one transaction per document (the single path: txBatch with the lock and
 * the acc_<r>__write calls, as bench/registers.ts posts): a caller's promise resolves only after
 * the transaction holding its writes committed. When a batch fails for any reason — a document
 * that would leave a balance negative, a concurrent writer of the same recorder, a deadlock or
 * serialization failure — nothing of it is kept, and each of its documents is retried alone
 * through the single path, one after another, so every caller gets exactly its own result or
 * its own error (negative_balance as a UserError naming its key). A batch of one document takes
 * the single path directly.
 *
 * Locks: a batch locks its document rows in one sorted order and its key locks as one sorted
 * pass per register (write-many.ts), registers in name order — the global order every writer uses
 * (see post.ts), so batches neither deadlock with each other nor with single writers. A document
 * or recorder never appears twice in a batch, nor in two batches in flight at once: a second
 * request for it waits in the queue for the next batch. Record sets larger than COPY_THRESHOLD
 * rows (or than maxRows) are written alone at once.
 */
import type pg from "pg";
import type { AccumulationRegisterMeta, Configuration } from "../../server/metadata/types.ts";
import { tx, txBatch, type BatchStatement } from "../../server/storage/db.ts";
import { documentTable, lit, q } from "../../server/storage/naming.ts";
import { UUID_RE } from "../../server/storage/values.ts";
import { recordSetElement, writeManyFn } from "./write-many.ts";
import { mapPostingError } from "../../server/registers/errors.ts";
import { writeRecordSet, type MovementInput, type Recorder, type WriteOptions } from "../../server/registers/post.ts";
import { accShape } from "../../server/registers/shape.ts";

export interface GroupSet {
  register: AccumulationRegisterMeta;
  recorder: Recorder;
  /** The new record set; empty clears it (unposting). */
  rows: MovementInput[];
  options?: WriteOptions;
}

export interface GroupDocument {
  /** The document whose row is locked first (SELECT … FOR UPDATE), as the document engine does. */
  lock?: { kind: string; id: string };
  /** Its record sets, at most one per register. */
  sets: GroupSet[];
}

export interface GroupWriterOptions {
  /** Documents per batch (default 64). */
  maxDocs?: number;
  /** Movements per batch (default 4000); a larger document is written alone. */
  maxRows?: number;
  /** Batches in flight at once, each on its own connection (default 2). */
  inFlight?: number;
  /** Documents that must be waiting for a batch to start while another is in flight (default 4). */
  minConcurrent?: number;
}

export interface GroupWriterStats {
  /** Batches of two or more documents committed, and the documents in them. */
  batches: number;
  batchedDocuments: number;
  /** Documents written by the single path: alone in their batch, too large, or retried. */
  single: number;
  /** Batches that failed and were retried document by document. */
  failedBatches: number;
}

interface Element {
  register: AccumulationRegisterMeta;
  recorderKey: string;
  check: boolean;
  json: string;
}

interface Pending {
  seq: number;
  area: number;
  doc: GroupDocument;
  lock: BatchStatement | null;
  /** Lock key "table id" and "register recorder" keys: one per batch, one batch in flight. */
  keys: string[];
  elements: Element[];
  rows: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const byRegister = <T extends { register: AccumulationRegisterMeta }>(a: T, b: T) =>
  a.register.name < b.register.name ? -1 : a.register.name > b.register.name ? 1 : 0;

export class GroupWriter {
  readonly stats: GroupWriterStats = { batches: 0, batchedDocuments: 0, single: 0, failedBatches: 0 };
  private readonly maxDocs: number;
  private readonly maxRows: number;
  private readonly inFlight: number;
  private readonly minConcurrent: number;
  private readonly queues = new Map<number, Pending[]>();
  private readonly busy = new Set<string>();
  private running = 0;
  private retrying = 0;
  private seq = 0;
  private idle: (() => void)[] = [];
  private readonly tables = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly conf: Configuration,
    opts: GroupWriterOptions = {},
  ) {
    this.maxDocs = Math.max(1, opts.maxDocs ?? 64);
    this.maxRows = Math.max(1, opts.maxRows ?? 4000);
    this.inFlight = Math.max(1, opts.inFlight ?? 2);
    this.minConcurrent = Math.max(1, opts.minConcurrent ?? 4);
  }

  /**
   * Writes the document's record sets in data area `area`, in a transaction shared with other
   * documents written concurrently; resolves once it committed. Validation errors (a bad value,
   * a bad recorder) reject at once, before anything is sent.
   */
  async write(area: number, doc: GroupDocument): Promise<void> {
    if (!Number.isInteger(area) || area < 1) throw new Error(`invalid data area ${area}`);
    const lockStatement = this.lockStatement(area, doc); // validates the lock
    const sets = [...doc.sets].sort(byRegister);
    for (let i = 1; i < sets.length; i++)
      if (sets[i].register.name === sets[i - 1].register.name)
        throw new Error(`register ${sets[i].register.name} written twice by one document`);
    const elements: Element[] = [];
    let rows = 0;
    for (const s of sets) {
      const e = recordSetElement(this.conf, s.register, s.recorder, s.rows, s.options);
      if (!e) return this.single(area, { ...doc, sets }, lockStatement);
      elements.push({
        register: s.register,
        recorderKey: `${s.register.name} ${s.recorder.id.toLowerCase()}`,
        check: e.check,
        json: e.json,
      });
      rows += s.rows.length;
    }
    if (rows > this.maxRows) return this.single(area, { ...doc, sets }, lockStatement, elements);
    const keys = elements.map((e) => e.recorderKey);
    if (doc.lock) keys.push(`${this.tableOf(doc.lock.kind)} ${doc.lock.id.toLowerCase()}`);
    return new Promise<void>((resolve, reject) => {
      const p: Pending = {
        seq: this.seq++,
        area,
        doc: { ...doc, sets },
        lock: lockStatement,
        keys,
        elements,
        rows,
        resolve,
        reject,
      };
      let queue = this.queues.get(area);
      if (!queue) this.queues.set(area, (queue = []));
      queue.push(p);
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.running === 0 && this.retrying === 0 && this.queues.size === 0) return Promise.resolve();
    return new Promise((res) => this.idle.push(res));
  }

  /**
   * The document's lock. The area is named beside the RLS policy's own condition so that the
   * primary key (area, id) is the obvious index even while the table's statistics are stale
   * (after a bulk load the planner may otherwise walk the whole area through another index).
   */
  private lockStatement(area: number, doc: GroupDocument): BatchStatement | null {
    if (!doc.lock) return null;
    const { kind, id } = doc.lock;
    if (!this.conf.documents.has(kind)) throw new Error(`unknown document kind ${JSON.stringify(kind)}`);
    if (typeof id !== "string" || !UUID_RE.test(id))
      throw new Error(`document id must be a UUID, got ${JSON.stringify(id)}`);
    return { sql: `SELECT id FROM ${this.tableOf(kind)} WHERE area = ${area} AND id = ${lit(id)} FOR UPDATE` };
  }

  /** The document kind's table, quoted (cached: the name is derived by regular expressions). */
  private tableOf(kind: string): string {
    let t = this.tables.get(kind);
    if (t === undefined) this.tables.set(kind, (t = q(documentTable(kind))));
    return t;
  }

  /**
   * The single path: one transaction for the document (sets sorted by register), as
   * txBatch + writeRecordSetStatement would send it. With the elements already prepared, each
   * set is one acc_<r>__write call with the element as its jsonb (the function reads its rows
   * and delta); without (a set too large for one statement), tx + writeRecordSet.
   */
  private async single(
    area: number,
    doc: GroupDocument,
    lock = this.lockStatement(area, doc),
    elements?: Element[],
  ): Promise<void> {
    this.stats.single++;
    if (elements) {
      const writes = elements.map((e, i): BatchStatement => {
        const s = accShape(e.register),
          rec = doc.sets[i].recorder;
        return {
          sql: `SELECT ${q(s.writeFn)}(${lit(rec.id)}::uuid, ${lit(rec.kind)}, ${e.check}, ${lit(e.json)}::jsonb)`,
          mapError: (err) => {
            const x = err as { message?: string; table?: string };
            if (x?.message?.startsWith(`${s.table}:`) || x?.table === s.table)
              mapPostingError(err, this.conf, e.register);
          },
        };
      });
      return txBatch(this.pool, area, [...(lock ? [lock] : []), ...writes]);
    }
    await tx(this.pool, area, async (c) => {
      if (lock) await c.query(lock.sql);
      for (const s of doc.sets) await writeRecordSet(c, this.conf, s.register, s.recorder, s.rows, s.options);
    });
  }

  private pump(): void {
    while (this.running < this.inFlight) {
      const batch = this.take();
      if (!batch) break;
      this.running++;
      for (const p of batch) for (const k of p.keys) this.busy.add(k);
      const release = () => {
        for (const p of batch) for (const k of p.keys) this.busy.delete(k);
      };
      void this.commit(batch).then((failed) => {
        // A failed batch's documents stay busy until retried: a later request for one of them
        // must not overtake its retry.
        if (!failed) release();
        else void this.retry(failed).then(() => (release(), this.pump()));
        // The slot is freed after the callers just resolved had their turn: those posting their
        // next document join the next batch instead of one of them going alone.
        setImmediate(() => {
          this.running--;
          this.pump();
        });
      });
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.running === 0 && this.retrying === 0 && this.queues.size === 0)
      for (const res of this.idle.splice(0)) res();
  }

  /** The next batch: from the area whose first waiting document is the oldest, in arrival order. */
  private take(): Pending[] | null {
    let queue: Pending[] | undefined;
    let area = 0;
    let oldest = Infinity;
    for (const [a, qu] of this.queues) {
      const first = qu.find((p) => !p.keys.some((k) => this.busy.has(k)));
      if (first && first.seq < oldest) {
        [queue, area, oldest] = [qu, a, first.seq];
      }
    }
    if (!queue) return null;
    // A further batch beside one in flight only when minConcurrent documents wait, else they
    // wait for the next, larger batch (a transaction costs PostgreSQL about as much CPU as two
    // documents' rows: a batch of one or two beside a running one costs more than it saves).
    // With nothing in flight and enough waiting, the first batch takes half, so that two run
    // side by side — 8 posters as two batches of 4, on both cores of a small machine.
    if (this.running > 0 && queue.length < this.minConcurrent) return null;
    const halve = this.running === 0 && this.inFlight > 1 && queue.length >= 2 * this.minConcurrent;
    const limit = Math.min(this.maxDocs, halve ? Math.ceil(queue.length / 2) : queue.length);
    const batch: Pending[] = [];
    const taken = new Set<string>();
    let rows = 0;
    for (let i = 0; i < queue.length && batch.length < limit; ) {
      const p = queue[i];
      const clash = p.keys.some((k) => this.busy.has(k) || taken.has(k));
      if (clash || (batch.length > 0 && rows + p.rows > this.maxRows)) {
        // A later request for the same document or recorder must not overtake this one.
        for (const k of p.keys) taken.add(k);
        i++;
        continue;
      }
      for (const k of p.keys) taken.add(k);
      rows += p.rows;
      batch.push(p);
      queue.splice(i, 1);
    }
    if (queue.length === 0) this.queues.delete(area);
    return batch.length ? batch : null;
  }

  /** Commits the batch; returns it when it failed as a whole (to be retried one by one). */
  private async commit(batch: Pending[]): Promise<Pending[] | null> {
    const area = batch[0].area;
    if (batch.length === 1) {
      const p = batch[0];
      await this.single(area, p.doc, p.lock, p.elements).then(p.resolve, p.reject);
      return null;
    }
    try {
      await txBatch(this.pool, area, this.batchStatements(batch));
    } catch {
      this.stats.failedBatches++;
      return batch;
    }
    this.stats.batches++;
    this.stats.batchedDocuments += batch.length;
    for (const p of batch) p.resolve();
    return null;
  }

  private async retry(batch: Pending[]): Promise<void> {
    this.retrying++;
    for (const p of batch) await this.single(p.area, p.doc, p.lock, p.elements).then(p.resolve, p.reject);
    this.retrying--;
    this.checkIdle();
  }

  /** Lock the documents (per table, sorted by id), then one write_many call per register by name. */
  private batchStatements(batch: Pending[]): BatchStatement[] {
    const locks = new Map<string, string[]>();
    for (const p of batch) {
      if (!p.doc.lock) continue;
      const table = this.tableOf(p.doc.lock.kind);
      const ids = locks.get(table) ?? [];
      ids.push(p.doc.lock.id.toLowerCase());
      locks.set(table, ids);
    }
    const out: BatchStatement[] = [...locks.keys()].sort().map((table) => ({
      sql: `SELECT id FROM ${table} WHERE area = ${batch[0].area} AND id = ANY (ARRAY[${locks.get(table)!.sort().map(lit).join(", ")}]::uuid[]) ORDER BY id FOR UPDATE`,
    }));
    const byReg = new Map<string, { register: AccumulationRegisterMeta; check: boolean; json: string[] }>();
    for (const p of batch)
      for (const e of p.elements) {
        let g = byReg.get(e.register.name);
        if (!g) byReg.set(e.register.name, (g = { register: e.register, check: false, json: [] }));
        g.check ||= e.check;
        g.json.push(e.json);
      }
    for (const g of [...byReg.values()].sort(byRegister))
      out.push({
        sql: `SELECT ${q(writeManyFn(accShape(g.register)))}(${g.check}, ${lit("[" + g.json.join(",") + "]")}::jsonb)`,
      });
    return out;
  }
}
