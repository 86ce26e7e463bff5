/**
 * Group commit's server side — measured by bench/registers.ts, not part of the product (it left
 * server/registers/: nothing in the product posts through it; see group.ts). installWriteMany
 * creates the functions in a database the platform has migrated.
 *
 * acc_<r>__write_many(p$check boolean, p$docs jsonb): the record sets of several documents
 * written into one register by one call — the server side of group commit (group.ts). p$docs
 * is a jsonb array; each element {r: recorder, k: kind, c: check?, rows, delta} is what
 * acc_<r>__write takes as its arguments (recordSetElement builds it). The effect is that
 * of calling acc_<r>__write for each element in array order, in one transaction:
 *  1. the old movements of every recorder that has any (reposts) are deleted, aggregated per
 *     (element, month, key); the new movements of all elements are inserted. A recorder with
 *     more than COPY_THRESHOLD movements stored (unposting or reposting a large set) fails the
 *     call instead: group.ts then writes each document alone, and acc_<r>__write hands such a
 *     set to the set-based staged function (ddl.ts);
 *  2. per element the difference new − old per (month, key); summed over the elements it is the
 *     batch's delta (d$ arrays) — totals are additive, so applying the sum equals applying the
 *     differences one after another, zero-row cleanup included;
 *  3. the register's data-area lock shared, then the advisory key locks of every key any element
 *     touches, in ascending hash order: one sorted pass, the same global order as acc_<r>__write
 *     (see post.ts), so a batch cannot deadlock against single writers or other batches of the
 *     register (past KEY_LOCK_LIMIT keys: the data-area lock exclusive, as acc_<r>__write);
 *  4. the totals and the balance by the batch's delta — RegisterSql's fast path (every key in
 *     one month) or general path, as acc_<r>__write, less the join of the balance rows back to
 *     the delta that serves its negative check (quadratic in a batch's keys; step 5 replaces it);
 *  5. negative control (p$check: any element with c): element i is refused, as acc_<r>__write
 *     would refuse it after elements 1..i-1, when a resource of a key went down by element i
 *     and the key's balance after element i — before the batch plus elements 1..i — is below
 *     zero. The whole call then fails with SQLSTATE ZR001 (DETAIL: the keys, each with its
 *     "document", the 1-based element); group.ts retries the documents one by one, so each
 *     gets its own result and message.
 * The batch must not name a recorder twice (group.ts keeps such documents for the next batch).
 */
import type pg from "pg";
import type { AccumulationRegisterMeta, Configuration } from "../../server/metadata/types.ts";
import { APP_ROLE, type BatchStatement } from "../../server/storage/db.ts";
import { q } from "../../server/storage/naming.ts";
import { indexName } from "../../server/storage/columns.ts";
import { mapPostingError, NEGATIVE_SQLSTATE } from "../../server/registers/errors.ts";
import { lit, RegisterSql } from "../../server/registers/ddl-sql.ts";
import { KEY_LOCK_LIMIT } from "../../server/registers/ddl.ts";
import {
  COPY_THRESHOLD,
  recordSetPayload,
  type MovementInput,
  type Recorder,
  type WriteOptions,
} from "../../server/registers/post.ts";
import { accShape, type AccShape } from "../../server/registers/shape.ts";

/** Not the engine's marker: the platform's migration (ddl.ts#dropOrphans) leaves these functions alone. */
const MARKER = "bench: group commit";

export const writeManyFn = (s: AccShape): string => indexName(s.table, "write_many");

class ManySql {
  readonly x: RegisterSql;
  constructor(readonly s: AccShape) {
    this.x = new RegisterSql(s, "array");
  }

  /** The elements with their 1-based position. */
  private docs(): string {
    return `p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord))`;
  }

  /** Per element, its new set's delta rows as post.ts aggregated them (ord, month, dims…, sums…). */
  private newDelta(): string {
    const { x } = this;
    const dims = x.dimensions.map((d, i) => `(e->>${i + 1})::${this.s.dims[i].baseType} AS ${d}`);
    const sums = x.deltaCols.map((c, i) => `(e->>${i + 1 + x.dimensions.length})::numeric AS ${c}`);
    return `SELECT p.ord, (e->>0)::date AS month, ${x.leadingList(dims)}${sums.join(", ")}
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e`;
  }

  /**
   * Per (element, month, key) the difference new − old; `repost`: the old sets (o$ arrays, m$ord)
   * merged in — otherwise the elements' own delta rows, which post.ts sent non-zero.
   */
  perDoc(repost: boolean): string {
    const { x } = this;
    if (!repost) return this.newDelta();
    const names = ["ord", "month", ...x.dimensions, ...x.deltaCols];
    return `SELECT ord, month, ${x.leadingList(x.dimensions)}${x.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
              FROM (${this.newDelta()}
                    UNION ALL
                    SELECT o.ord, o.month, ${x.leadingList(x.qualified(x.dimensions, "o."))}${x.deltaCols.map((c) => `-o.${c}`).join(", ")}
                      FROM unnest(m$ord, ${x.oldVars.join(", ")}) o(${names.join(", ")})) u
             GROUP BY ord, month${x.dimensions.length ? ", " + x.dimensions.join(", ") : ""}
            HAVING ${x.deltaCols.map((c) => `sum(${c}) <> 0`).join(" OR ")}`;
  }

  /** Sums per (month, key) of movement rows `m` (period, record_kind, resources). */
  private sums(m: string): string[] {
    const { x } = this;
    return x.isBalance
      ? [
          ...x.resources.map(
            (r, i) => `coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = 1), 0) AS ${x.receiptColumns[i]}`,
          ),
          ...x.resources.map(
            (r, i) => `coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = -1), 0) AS ${x.expenseColumns[i]}`,
          ),
        ]
      : x.resources.map((r, i) => `sum(${m}.${r} * ${m}.record_kind) AS ${x.receiptColumns[i]}`);
  }

  /**
   * 1a. Reposts: when any recorder of the batch has movements (one primary-key probe each), they
   * are deleted — matched on the whole primary key, as acc_<r>__write does — and aggregated per
   * (element, month, key) into m$ord and the o$ arrays.
   */
  deleteOld(largeSet: number): string {
    const { x } = this;
    const lines = (r: string) =>
      `SELECT m.line FROM ${x.movementsTable} m WHERE m.area = v$area AND m.recorder = ${r} ORDER BY m.recorder, m.line`;
    const agg = ["ord", "month", ...x.dimensions, ...x.deltaCols].map((c) => `array_agg(${c})`).join(", ");
    return `IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (${lines("(p.doc->>'r')::uuid")} LIMIT 1) l) THEN
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (${lines("(p.doc->>'r')::uuid")} OFFSET ${largeSet} LIMIT 1) l) THEN
      RAISE EXCEPTION '${writeManyFn(this.s)}: a large record set is replaced: write it alone';
    END IF;
    WITH p AS (SELECT p.ord, (p.doc->>'r')::uuid AS r FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
    old AS (DELETE FROM ${x.movementsTable} t USING p CROSS JOIN LATERAL (${lines("p.r")}) l
             WHERE t.area = v$area AND t.recorder = p.r AND t.line = l.line
            RETURNING p.ord, t.period, t.record_kind, ${x.leadingList(x.qualified(x.dimensions, "t."))}${x.qualified(x.resources, "t.").join(", ")})
    SELECT ${agg} INTO m$ord, ${x.oldVars.join(", ")}
      FROM (SELECT m.ord, date_trunc('month', m.period)::date AS month, ${x.leadingList(x.qualified(x.dimensions, "m."))}${this.sums("m").join(", ")}
              FROM old m GROUP BY 1, 2${x.dimensions.length ? ", " + x.qualified(x.dimensions, "m.").join(", ") : ""}) g;
  END IF;`;
  }

  /**
   * 1b–2. One statement: the new movements of all elements inserted; the batch's delta per
   * (month, key) into the d$ arrays with its number of distinct keys (m$keys); the sorted hashes
   * of every key an element touches into v$locks; whether any element lowers a resource (m$dec).
   */
  insertAndDelta(repost: boolean): string {
    const { x, s } = this;
    const fields = [...s.dims, ...s.res, ...s.attrs];
    const cols = [
      "recorder",
      "recorder_kind",
      "line",
      "period",
      "record_kind",
      ...x.dimensions,
      ...x.resources,
      ...x.attributes,
    ];
    const values = [
      "(p.doc->>'r')::uuid",
      "p.doc->>'k'",
      "e.line",
      "(e.r->>0)::timestamp",
      "(e.r->>1)::smallint",
      ...fields.map((f, i) => `(e.r->>${i + 2})::${f.baseType}`),
    ];
    const dec = x.isBalance
      ? `coalesce(bool_or(${x.receiptColumns.map((c, i) => `${c} < ${x.expenseColumns[i]}`).join(" OR ")}), false)`
      : "false";
    return `WITH ${this.docs()},
  ins AS (INSERT INTO ${x.movementsTable} (${cols.join(", ")})
          SELECT ${values.join(", ")} FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'rows') WITH ORDINALITY AS e(r, line)),
  pd AS (${this.perDoc(repost)}),
  g AS (SELECT month, ${x.leadingList(x.dimensions)}${x.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM pd GROUP BY month${x.dimensions.length ? ", " + x.dimensions.join(", ") : ""})
  SELECT a.*, b.* INTO d$month, ${x.leadingList(x.deltaKeyVars)}${x.deltaVars.join(", ")}, m$keys, v$locks, m$dec
    FROM (SELECT array_agg(month), ${x.leadingList(x.dimensions.map((d) => `array_agg(${d})`))}${x.deltaCols.map((c) => `array_agg(${c})`).join(", ")}, count(DISTINCT ${x.hash()})
            FROM g WHERE ${x.nonzero(x.deltaCols)}) a,
         (SELECT array_agg(DISTINCT ${x.hash()} ORDER BY ${x.hash()}), ${dec} FROM pd) b;`;
  }

  /**
   * 4. The fast path (every key in one month of the batch's delta): RegisterSql.fastApply's
   * statement without its join of the balance rows back to the delta (for the negative check,
   * done per element by negativeCheck here) — a nested loop that grows with the square of the
   * batch's keys.
   */
  fastApply(): string {
    const { x } = this;
    return `WITH delta AS (SELECT * FROM ${x.deltaFrom("delta", true)}),
  ${x.probeCte()},
  month_rows AS (${x.monthTotalsUpsert()}),
  balance_rows AS (${x.balanceUpsert(`SELECT ${x.leadingList(x.qualified(x.dimensions, "delta."))}${x.nets("delta").join(", ")} FROM delta WHERE ${x.moves("delta")}`, false)})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (${x.moves("probed")}) AND probed.last$ > probed.month),
         count(*) FILTER (WHERE ${x.allZero(x.resources, "balance.")})
    INTO v$zero, v$later, v$bzero
    FROM balance_rows balance;`;
  }

  /** 4. The general path: RegisterSql.generalApply's month rows and later months, then the balance without the join back. */
  generalApply(): string[] {
    const { x } = this;
    return [...x.generalApply().slice(0, 2), x.generalBalance(false)];
  }

  /** 5. The refusal of an element that leaves a key it lowered below zero (see the header). */
  negativeCheck(): string {
    const { x } = this;
    const netColumns = x.netColumns,
      cum = x.resources.map((_, i) => `cum$${i + 1}`),
      tot = x.resources.map((_, i) => `tot$${i + 1}`);
    const part = x.dimensions.length ? `PARTITION BY ${x.dimensions.join(", ")}` : "";
    const after = (i: number) => `coalesce(b.${x.resources[i]}, 0) - c.${tot[i]} + c.${cum[i]}`;
    const pairs = [
      `'document', c.ord`,
      ...this.s.dims.map((d) => `${lit(d.col)}, c.${q(d.col)}`),
      ...this.s.res.map((r, i) => `${lit(r.col)}, (${after(i)})::text`),
    ];
    return `IF p$check AND m$dec THEN
    WITH ${this.docs()},
    f AS MATERIALIZED (SELECT array_agg(coalesce((p.doc->>'c')::boolean, false) ORDER BY p.ord) AS c FROM p),
    pd AS (${this.perDoc(true)}),
    k AS (SELECT ord, ${x.leadingList(x.dimensions)}${x.resources.map((_, i) => `sum(${x.receiptColumns[i]} - ${x.expenseColumns[i]}) AS ${netColumns[i]}`).join(", ")}
            FROM pd GROUP BY ord${x.dimensions.length ? ", " + x.dimensions.join(", ") : ""}),
    c AS (SELECT k.*, ${x.resources.map((_, i) => `sum(${netColumns[i]}) OVER (${part} ORDER BY ord) AS ${cum[i]}, sum(${netColumns[i]}) OVER (${part}) AS ${tot[i]}`).join(", ")} FROM k)
    SELECT jsonb_agg(jsonb_build_object(${pairs.join(", ")}) ORDER BY c.ord) INTO v$neg
      FROM c CROSS JOIN f
      LEFT JOIN LATERAL (SELECT ${x.qualified(x.resources, "b.").join(", ")} FROM ${x.balanceTable} b WHERE b.area = v$area AND ${x.sameKey("b", "c")}) b ON true
     WHERE f.c[c.ord::integer] AND (${x.resources.map((_, i) => `(c.${netColumns[i]} < 0 AND ${after(i)} < 0)`).join(" OR ")});
    IF v$neg IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = '${NEGATIVE_SQLSTATE}', MESSAGE = '${this.s.table}: negative balance', DETAIL = v$neg::text;
    END IF;
  END IF;`;
  }
}

/**
 * CREATE OR REPLACE of acc_<r>__write_many; keyLockLimit as acc_<r>__write's (ddl.ts
 * KEY_LOCK_LIMIT); a recorder with more than largeSet movements stored fails the batch (see
 * deleteOld), so group.ts writes it alone.
 */
export function writeManyFunction(s: AccShape, keyLockLimit: number, largeSet: number): string {
  const m = new ManySql(s);
  const { x } = m;
  const name = writeManyFn(s);
  const apply = x.isBalance
    ? x.balanceApply("m$keys = cardinality(d$month)", m.fastApply(), m.generalApply())
    : x.turnoverApply();
  const body = [
    `IF v$area IS NULL THEN RAISE EXCEPTION '${name}: app.area is not set'; END IF;`,
    m.deleteOld(largeSet),
    `IF m$ord IS NULL THEN
    ${m.insertAndDelta(false)}
  ELSE
    ${m.insertAndDelta(true)}
  END IF;`,
    `IF v$locks IS NOT NULL THEN
    ${x.lockKeys("cardinality(v$locks)", keyLockLimit, x.keyLocks())}
  END IF;`,
    `IF d$month IS NOT NULL THEN
    ${apply}
    ${x.cleanup().join("\n    ")}
  END IF;`,
    ...(x.isBalance ? [m.negativeCheck()] : []),
  ];
  const declarations = [...x.declarations(), "m$ord bigint[];", "m$keys bigint;", "m$dec boolean;"];
  // The settings of acc_<r>__write (see ddl.ts): generic plans, index probes, nested loops only.
  const settings = [
    "enable_seqscan = off",
    "enable_bitmapscan = off",
    "enable_hashjoin = off",
    "enable_mergejoin = off",
    "plan_cache_mode = force_generic_plan",
  ];
  const sig = `${q(name)}(boolean, jsonb)`;
  return `CREATE OR REPLACE FUNCTION ${q(name)}(p$check boolean, p$docs jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
${settings.map((v) => `SET ${v}`).join("\n")} AS $fn$
DECLARE
  ${declarations.join("\n  ")}
BEGIN
  ${body.join("\n  ")}
END
$fn$;
COMMENT ON FUNCTION ${sig} IS ${lit(MARKER)};
GRANT EXECUTE ON FUNCTION ${sig} TO ${q(APP_ROLE)};`;
}

/** Creates acc_<r>__write_many of every accumulation register (as the owner, after the platform's migration). */
export async function installWriteMany(owner: pg.Pool, conf: Configuration): Promise<void> {
  for (const reg of conf.accumulationRegisters.values())
    await owner.query(writeManyFunction(accShape(reg), KEY_LOCK_LIMIT, COPY_THRESHOLD));
}

/**
 * One document's record set as an element of acc_<r>__write_many's jsonb array: {r: recorder,
 * k: kind, c: check, rows, delta}, validated as the engine does (throws before anything is
 * sent). null for a set larger than COPY_THRESHOLD rows, which must be written alone.
 */
export function recordSetElement(
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  recorder: Recorder,
  rows: MovementInput[],
  opts: WriteOptions = {},
): { check: boolean; json: string } | null {
  const x = recordSetPayload(conf, reg, recorder, rows, opts);
  if (!x) return null;
  return {
    check: x.check,
    json: JSON.stringify({ r: recorder.id, k: recorder.kind, c: x.check, rows: x.rows, delta: x.delta }),
  };
}

/**
 * The engine's write as one self-contained statement (values inlined as literals) for txBatch of
 * storage/db.ts, which sends a whole transaction in one round trip — e.g. lock the document row,
 * write its record sets, commit: the single path group commit is measured against. Only for sets
 * up to COPY_THRESHOLD rows (else null: use writeRecordSet in tx). Validation throws before
 * anything is sent; mapError turns the function's own failures (negative balance, a concurrent
 * writer) into UserErrors.
 */
export function writeRecordSetStatement(
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  recorder: Recorder,
  rows: MovementInput[],
  opts: WriteOptions = {},
): BatchStatement | null {
  const x = recordSetPayload(conf, reg, recorder, rows, opts);
  if (!x) return null;
  const s = accShape(reg);
  const payload = JSON.stringify({ rows: x.rows, delta: x.delta });
  return {
    sql: `SELECT ${q(s.writeFn)}(${lit(recorder.id)}::uuid, ${lit(recorder.kind)}, ${x.check}, ${lit(payload)}::jsonb)`,
    mapError: (e) => {
      const err = e as { code?: string; message?: string; table?: string };
      if (err?.message?.startsWith(`${s.table}:`) || err?.table === s.table) mapPostingError(e, conf, reg);
    },
  };
}
