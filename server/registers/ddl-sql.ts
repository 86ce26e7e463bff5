/**
 * The statements of an accumulation register's posting functions, as named helpers in the order a
 * posting runs them. ddl.ts#writeFunction builds both functions from them, parameterised by where
 * the new records come from (RecordSource):
 *   "array"   — acc_<r>__write(recorder, kind, check, {rows, delta} jsonb): a small record set
 *               passed as a jsonb array of rows, with its delta (the rows aggregated per month and
 *               key) computed by post.ts; intermediate sets live in plpgsql arrays (d$…, o$…);
 *   "staging" — acc_<r>__write_staged(recorder, kind, check): a large set COPYed by staged.ts
 *               into pg_temp.acc_<r>__in; intermediate sets live in temporary tables
 *               (pg_temp.acc_<r>__old, pg_temp.acc_<r>__delta).
 * A posting, step by step (each step one helper; where the sources differ, the helper says why):
 *  0. handOverLargeSet (array only): a recorder with a large stored set is written by the staged
 *     function instead;
 *  1. replaceMovements: the recorder's old movements deleted (aggregated per month and key), the
 *     new ones inserted;
 *  2. delta: per (month, key) the receipts and expenses (balance registers) or turnovers of the
 *     new set minus the old one; returnIfNoDelta;
 *  3. lockKeys: the data-area lock and the touched keys' locks (see post.ts, "Concurrency");
 *  4. the totals and the balance: balanceApply — fastApply when every key is in one month of the
 *     delta (the usual document: monthTotalsUpsert, balanceUpsert, then shiftLaterMonths), else
 *     generalApply (a key in several months) — or turnoverApply for turnover registers;
 *  5. cleanup: month rows left without turnovers and balance rows left at zero are dropped;
 *  6. (ddl.ts) keys whose balance went down below zero are refused.
 * Names inside the functions carry a `$` (p$…, v$…, d$…, rcpt$1…), which no metadata-derived
 * column can, so they never clash; table aliases are words (delta, probed, totals, balance…).
 */
import { lit, q } from "../storage/naming.ts";
import type { AccShape } from "./shape.ts";
import { stagingDdl } from "./staged.ts";

export { lit };

/** Where a posting function's new records come from: a jsonb array argument, or the staging table. */
export type RecordSource = "array" | "staging";

export class RegisterSql {
  readonly movementsTable: string;
  readonly totalsTable: string;
  readonly balanceTable: string;
  readonly dimensions: string[];
  readonly resources: string[];
  readonly attributes: string[];
  readonly isBalance: boolean;
  /** The records come from the staging table: set-based statements over temporary tables. */
  readonly staged: boolean;
  /** plpgsql arrays of the delta (array source): dimensions, receipts (or turnovers), expenses. */
  readonly deltaKeyVars: string[];
  readonly deltaReceiptVars: string[];
  readonly deltaExpenseVars: string[];
  /** Column names of the delta rows. */
  readonly receiptColumns: string[];
  readonly expenseColumns: string[];
  readonly netColumns: string[];
  readonly totalsReceiptColumns: string[];
  readonly totalsExpenseColumns: string[];

  constructor(
    readonly s: AccShape,
    readonly from: RecordSource = "array",
  ) {
    this.movementsTable = q(s.table);
    this.totalsTable = q(s.totals);
    this.balanceTable = q(s.balance);
    this.dimensions = s.dims.map((d) => q(d.col));
    this.resources = s.res.map((r) => q(r.col));
    this.attributes = s.attrs.map((a) => q(a.col));
    this.isBalance = s.isBalance;
    this.staged = from === "staging";
    this.deltaKeyVars = s.dims.map((_, i) => `d$k${i + 1}`);
    this.deltaReceiptVars = s.res.map((_, i) => `d$r${i + 1}`);
    this.deltaExpenseVars = s.res.map((_, i) => `d$e${i + 1}`);
    this.receiptColumns = s.res.map((_, i) => `rcpt$${i + 1}`);
    this.expenseColumns = s.res.map((_, i) => `exp$${i + 1}`);
    this.netColumns = s.res.map((_, i) => `net$${i + 1}`);
    this.totalsReceiptColumns = s.res.map((r) => q(r.col + "_receipt"));
    this.totalsExpenseColumns = s.res.map((r) => q(r.col + "_expense"));
  }

  // ---- names and small expressions ----

  /** Delta columns / variables: receipts and expenses, or turnovers only. */
  get deltaCols(): string[] {
    return this.isBalance ? [...this.receiptColumns, ...this.expenseColumns] : this.receiptColumns;
  }
  get deltaVars(): string[] {
    return this.isBalance ? [...this.deltaReceiptVars, ...this.deltaExpenseVars] : this.deltaReceiptVars;
  }
  /** The same for the old record set's aggregate (o$ arrays). */
  get oldVars(): string[] {
    return [
      "o$month",
      ...this.deltaKeyVars.map((v) => v.replace("d$", "o$")),
      ...this.deltaVars.map((v) => v.replace("d$", "o$")),
    ];
  }
  /** The month row columns of balance registers: receipts, expenses and balance per resource. */
  get totCols(): string[] {
    return this.resources.flatMap((r, i) => [this.totalsReceiptColumns[i], this.totalsExpenseColumns[i], r]);
  }

  qualified = (xs: string[], alias = "") => xs.map((x) => alias + x);
  leadingList = (xs: string[]) => xs.map((x) => x + ", ").join("");
  sameKey = (a: string, b: string) => this.dimensions.map((d) => `${a}.${d} = ${b}.${d}`).join(" AND ") || "true";
  areaKey = (t: string, d: string) => `${t}.area = v$area AND ${this.sameKey(t, d)}`;
  nonzero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} <> 0`).join(" OR ");
  allZero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} = 0`).join(" AND ");
  hash = (alias = "") =>
    `hashtext(concat_ws(chr(31), ${["v$area", ...this.qualified(this.dimensions, alias)].join(", ")}))`;
  private groupByKey = (alias = "") =>
    this.dimensions.length ? ", " + this.qualified(this.dimensions, alias).join(", ") : "";

  /** The net change per resource of delta row `alias`: receipts minus expenses. */
  nets(alias: string): string[] {
    return this.resources.map((_, i) => `${alias}.${this.receiptColumns[i]} - ${alias}.${this.expenseColumns[i]}`);
  }

  /** Does delta row `alias` move the balance of its key (a resource's receipts differ from its expenses)? */
  moves(alias: string): string {
    return this.resources
      .map((_, i) => `${alias}.${this.receiptColumns[i]} <> ${alias}.${this.expenseColumns[i]}`)
      .join(" OR ");
  }

  /** The function's variables: the delta and old-set arrays (array source), counters, the refused keys. */
  declarations(): string[] {
    const arrays = (p: string) => [
      `${p}$month date[];`,
      ...this.s.dims.map((d, i) => `${p}$k${i + 1} ${d.baseType}[];`),
      ...this.deltaVars.map((v) => `${v.replace("d$", p + "$")} numeric[];`),
    ];
    return [
      "v$area integer := nullif(current_setting('app.area', true), '')::integer;",
      ...(this.staged
        ? ["v$old boolean;", "v$rows bigint;", "v$keys bigint;"]
        : [...arrays("d"), ...arrays("o"), "v$locks integer[];"]),
      "v$later bigint;",
      "v$zero bigint;",
      "v$bzero bigint;",
      "v$neg jsonb;",
      // the loops of per-key statements (array source)
      ...(this.staged ? [] : ["v$i integer;", "v$r record;"]),
    ];
  }

  // ---- where the rows come from ----

  /**
   * The new records as SELECT values and FROM: line, period, record_kind, dimensions, resources,
   * attributes — from the jsonb rows (post.ts#prepare: [period, kind, dims…, resources…,
   * attributes…], each cast to its column type) or from the staging table.
   */
  private newRows(from: RecordSource): { values: string[]; from: string } {
    const fields = [...this.s.dims, ...this.s.res, ...this.s.attrs];
    if (from === "staging")
      return {
        values: ["staged.line", "staged.period", "staged.record_kind", ...fields.map((f) => `staged.${q(f.col)}`)],
        from: `pg_temp.${q(this.s.staging)} staged`,
      };
    return {
      values: [
        "new_row.line",
        "(new_row.fields->>0)::timestamp",
        "(new_row.fields->>1)::smallint",
        ...fields.map((f, i) => `(new_row.fields->>${i + 2})::${f.baseType}`),
      ],
      from: `jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line)`,
    };
  }

  /**
   * The delta rows as a FROM item `alias`(month, dims…[, delta columns]): the d$ arrays unnested
   * (array source) or the delta table (staging), which has the same columns.
   */
  deltaFrom(alias: string, withRes: boolean): string {
    if (this.staged) return `pg_temp.${q(this.s.stagedDelta)} ${alias}`;
    const arrays = ["d$month", ...this.deltaKeyVars, ...(withRes ? this.deltaVars : [])];
    const names = ["month", ...this.dimensions, ...(withRes ? this.deltaCols : [])];
    return `unnest(${arrays.join(", ")}) ${alias}(${names.join(", ")})`;
  }

  /** The old set's aggregate as a FROM item `alias`(month, dims…, delta columns): the o$ arrays or the old table. */
  private oldDeltaFrom(alias: string): string {
    if (this.staged) return `pg_temp.${q(this.s.stagedOld)} ${alias}`;
    return `unnest(${this.oldVars.join(", ")}) ${alias}(month, ${this.leadingList(this.dimensions)}${this.deltaCols.join(", ")})`;
  }

  // ---- 0. a large stored set goes to the staged function ----

  /**
   * acc_<r>__write's first step: when the recorder has more than `threshold` (COPY_THRESHOLD)
   * movements stored — unposting (an empty set) or reposting a large set, whatever the size of the
   * new one — the new rows go from the jsonb into the staging table and acc_<r>__write_staged does
   * the whole write. The small function's nested loops over a delta of that size are slow, and its
   * negative check joins the balance rows back to the delta by a nested loop: quadratic in the keys
   * (an unposting of 15k keys took 20 s against 1.2 s for its posting; of 100k keys, hours). One
   * probe of the primary key decides (nothing to find for a first posting).
   */
  handOverLargeSet(threshold: number): string {
    const fields = [...this.s.dims, ...this.s.res, ...this.s.attrs];
    const cols = ["line", "period", "record_kind", ...fields.map((f) => q(f.col))];
    const rows = this.newRows("array");
    return `IF (${this.oldLines()} OFFSET ${threshold} LIMIT 1) IS NOT NULL THEN
    ${stagingDdl(this.s)}
    INSERT INTO pg_temp.${q(this.s.staging)} (${cols.join(", ")})
      SELECT ${rows.values.join(", ")} FROM ${rows.from};
    PERFORM ${q(this.s.stagedFn)}(p$recorder, p$kind, p$check);
    RETURN;
  END IF;`;
  }

  // ---- 1. the recorder's movements replaced ----

  /** Lines of the recorder, read through the primary key (the ORDER BY makes it the only fit). */
  oldLines(): string {
    return `SELECT line FROM ${this.movementsTable} WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line`;
  }

  /**
   * `old`: the recorder's movements, deleted, RETURNING what the delta needs.
   * Array source: the lines come from oldLines(), so the DELETE matches the whole primary key:
   * with a bare "area = … AND recorder = …", a plan made on nearly empty statistics may scan the
   * data area through the (area, dims…, period) index — and a generic plan keeps that choice.
   * Staging: by the primary key's prefix alone. When the statistics say the table is empty — as
   * after a large set was unposted and autovacuum counted what was left — the planner costs the
   * lines' array as ten index descents and scans the data area through the key index instead,
   * testing every row against the whole array: quadratic (a repost of the 100k-key set over
   * itself after its unposting ran 960 s; the array source never sees more than COPY_THRESHOLD
   * old lines). With only (area, recorder) the primary key is the plain choice (its custom plans
   * see the recorder), and any other plan is still a linear scan.
   */
  private deleteOld(): string {
    const lines = this.staged ? "" : ` AND line = ANY (ARRAY(${this.oldLines()}))`;
    return `old AS (DELETE FROM ${this.movementsTable} WHERE area = v$area AND recorder = p$recorder${lines}
                    RETURNING period, record_kind, ${this.leadingList(this.dimensions)}${this.resources.join(", ")})`;
  }

  /** Aggregates per (month, key) of movement rows `rows` (period, record_kind, dims, resources). */
  private sums(rows: string): string[] {
    return this.isBalance
      ? [
          ...this.resources.map(
            (r, i) =>
              `coalesce(sum(${rows}.${r}) FILTER (WHERE ${rows}.record_kind = 1), 0) AS ${this.receiptColumns[i]}`,
          ),
          ...this.resources.map(
            (r, i) =>
              `coalesce(sum(${rows}.${r}) FILTER (WHERE ${rows}.record_kind = -1), 0) AS ${this.expenseColumns[i]}`,
          ),
        ]
      : this.resources.map((r, i) => `sum(${rows}.${r} * ${rows}.record_kind) AS ${this.receiptColumns[i]}`);
  }

  /** The old set's movements grouped per (month, key), from the DELETE … RETURNING `old`. */
  private oldGrouped(): string {
    return `SELECT date_trunc('month', old_row.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "old_row."))}${this.sums("old_row").join(", ")}
            FROM old old_row GROUP BY 1${this.groupByKey("old_row.")}`;
  }

  /** Inserts the new movements (without the statement's semicolon). */
  private insertNew(): string {
    const cols = [
      "recorder",
      "recorder_kind",
      "line",
      "period",
      "record_kind",
      ...this.dimensions,
      ...this.resources,
      ...this.attributes,
    ];
    const rows = this.newRows(this.from);
    return `INSERT INTO ${this.movementsTable} (${cols.join(", ")})
  SELECT p$recorder, p$kind, ${rows.values.join(", ")} FROM ${rows.from}`;
  }

  /**
   * The new set's delta rows per (month, key): the jsonb `delta` (aggregated by post.ts) or the
   * staging table grouped.
   */
  private newDelta(): string {
    if (this.staged)
      return `SELECT date_trunc('month', staged.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "staged."))}${this.sums("staged").join(", ")}
                FROM pg_temp.${q(this.s.staging)} staged GROUP BY 1${this.groupByKey("staged.")}`;
    const types = this.s.dims.map((d) => d.baseType);
    return `SELECT (delta_row->>0)::date AS month, ${this.leadingList(this.dimensions.map((d, i) => `(delta_row->>${i + 1})::${types[i]} AS ${d}`))}${this.deltaCols.map((c, i) => `(delta_row->>${i + 1 + this.dimensions.length})::numeric AS ${c}`).join(", ")}
                FROM jsonb_array_elements(p$rows->'delta') delta_row`;
  }

  /** Array source: the delta's columns and the sorted distinct key hashes (v$locks), aggregated into arrays. */
  private aggDelta(): string {
    return `array_agg(month), ${this.leadingList(this.dimensions.map((d) => `array_agg(${d})`))}${this.deltaCols.map((c) => `array_agg(${c})`).join(", ")}, array_agg(DISTINCT ${this.hash()} ORDER BY ${this.hash()})`;
  }
  private intoDelta(): string {
    return `d$month, ${this.leadingList(this.deltaKeyVars)}${this.deltaVars.join(", ")}, v$locks`;
  }

  /** Column definitions of a per-(month, key) aggregate table (staging: the old set, pg_temp.acc_<r>__old). */
  private aggColumns(): string {
    return [
      "month date",
      ...this.s.dims.map((d, i) => `${this.dimensions[i]} ${d.baseType}`),
      ...this.deltaCols.map((c) => `${c} numeric`),
    ].join(", ");
  }

  /**
   * Step 1: the recorder's old movements deleted and aggregated per (month, key), the new ones
   * inserted. Whether there are old ones is one probe of the primary key.
   * Array source: one statement each way. A first posting inserts the rows and reads the delta
   * sent by post.ts into the d$ arrays (with the key hashes into v$locks). A repost also deletes
   * the old movements, aggregated into the o$ arrays, in the same statement; the INSERT's
   * condition waits for the DELETE, so a line the recorder keeps is no key conflict.
   * Staging: the old aggregate goes into pg_temp.acc_<r>__old (v$old: there was one), then the
   * staged rows are inserted; the delta is built by the next step.
   */
  replaceMovements(): string[] {
    if (this.staged) {
      const oldTable = `pg_temp.${q(this.s.stagedOld)}`;
      return [
        `DROP TABLE IF EXISTS ${oldTable};
  CREATE TEMP TABLE ${q(this.s.stagedOld)} (${this.aggColumns()}) ON COMMIT DROP;`,
        `IF (${this.oldLines()} LIMIT 1) IS NOT NULL THEN
    WITH ${this.deleteOld()}
    INSERT INTO ${oldTable} ${this.oldGrouped()};
    v$old := true;
  ELSE
    v$old := false;
  END IF;`,
        `${this.insertNew()};`,
      ];
    }
    const aggOld = ["month", ...this.dimensions, ...this.deltaCols].map((c) => `array_agg(${c})`).join(", ");
    return [
      `IF (${this.oldLines()} LIMIT 1) IS NULL THEN
    WITH inserted AS (${this.insertNew()})
    SELECT ${this.aggDelta()} INTO ${this.intoDelta()} FROM (${this.newDelta()}) new_delta;
  ELSE
    WITH ${this.deleteOld()},
    old_grouped AS (${this.oldGrouped()}),
    inserted AS (${this.insertNew()} WHERE (SELECT count(*) FROM old_grouped) >= 0)
    SELECT old_arrays.*, new_arrays.* INTO ${this.oldVars.join(", ")}, ${this.intoDelta()}
      FROM (SELECT ${aggOld} FROM old_grouped) old_arrays,
           (SELECT ${this.aggDelta()} FROM (${this.newDelta()}) new_delta) new_arrays;
  END IF;`,
    ];
  }

  // ---- 2. the delta ----

  /**
   * The new set's delta rows `newRows` minus the old set's aggregate, per (month, key); the
   * (month, key)s where they cancel out are left out.
   */
  private newMinusOld(newRows: string): string {
    return `SELECT month, ${this.leadingList(this.dimensions)}${this.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
      FROM (${newRows}
            UNION ALL
            SELECT old_delta.month, ${this.leadingList(this.qualified(this.dimensions, "old_delta."))}${this.deltaCols.map((c) => `-old_delta.${c}`).join(", ")} FROM ${this.oldDeltaFrom("old_delta")}) new_and_old
     GROUP BY month${this.dimensions.length ? ", " + this.dimensions.join(", ") : ""}
    HAVING ${this.deltaCols.map((c) => `sum(${c}) <> 0`).join(" OR ")}`;
  }

  /** A staging row's receipts and expenses (turnovers) as delta columns, not aggregated. */
  private rowDelta(): string[] {
    return this.isBalance
      ? [
          ...this.resources.map(
            (r, i) => `CASE WHEN staged.record_kind = 1 THEN staged.${r} ELSE 0 END AS ${this.receiptColumns[i]}`,
          ),
          ...this.resources.map(
            (r, i) => `CASE WHEN staged.record_kind = -1 THEN staged.${r} ELSE 0 END AS ${this.expenseColumns[i]}`,
          ),
        ]
      : this.resources.map((r, i) => `staged.${r} * staged.record_kind AS ${this.receiptColumns[i]}`);
  }

  /**
   * Step 2: the delta per (month, key), new minus old.
   * Array source: a first posting's delta is what post.ts sent (read by replaceMovements); a
   * repost merges the old set (o$ arrays) into it, into the d$ arrays and v$locks again.
   * Staging: the delta table pg_temp.acc_<r>__delta, sorted by key so the totals are probed and
   * written in index order; its row count into v$rows, its distinct keys into v$keys. The usual
   * large set — a first posting with one row per key, like a month's batch of charges — needs no
   * aggregation: the rows are the delta (checked by counting the keys: one sort serves the
   * numbering of the rows within their key and the table's order); otherwise it is grouped, the
   * old set subtracted.
   */
  delta(): string {
    if (!this.staged)
      return `IF o$month IS NOT NULL THEN
    SELECT ${this.aggDelta()}
    INTO ${this.intoDelta()}
    FROM (${this.newMinusOld(this.newDelta())}) merged;
  END IF;`;
    const deltaTable = q(this.s.stagedDelta);
    const keys = this.dimensions.length ? `count(DISTINCT (${this.dimensions.join(", ")}))` : "least(count(*), 1)";
    const order = `ORDER BY ${[...this.dimensions, "month"].join(", ")}`;
    const month = "date_trunc('month', staged.period)::date";
    const rows = `SELECT ${month} AS month, ${this.leadingList(this.qualified(this.dimensions, "staged."))}${this.rowDelta().join(", ")},
             row_number() OVER (${this.dimensions.length ? `PARTITION BY ${this.qualified(this.dimensions, "staged.").join(", ")} ` : ""}ORDER BY ${month}) AS first$
      FROM pg_temp.${q(this.s.staging)} staged WHERE ${this.resources.map((r) => `staged.${r} <> 0`).join(" OR ")}`;
    const create = (select: string) => `DROP TABLE IF EXISTS pg_temp.${deltaTable};
    CREATE TEMP TABLE ${deltaTable} ON COMMIT DROP AS ${select} ${order};`;
    return `IF NOT v$old THEN
    ${create(rows)}
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp.${deltaTable};
  END IF;
  IF v$old OR v$keys < v$rows THEN
    ${create(this.newMinusOld(this.newDelta()))}
    SELECT count(*), ${keys} INTO v$rows, v$keys FROM pg_temp.${deltaTable};
  END IF;`;
  }

  /** Nothing changes (an empty delta): the function is done. */
  returnIfNoDelta(): string {
    return this.staged ? `IF v$rows = 0 THEN RETURN; END IF;` : `IF d$month IS NULL THEN RETURN; END IF;`;
  }

  // ---- 3. locks ----

  /** The number of distinct keys in the delta (array source: of distinct key hashes). */
  deltaKeyCount(): string {
    return this.staged ? "v$keys" : "cardinality(v$locks)";
  }

  /**
   * The key locks, one per distinct key hash of the delta in ascending order: from v$locks, which
   * holds them so (array source), or from the delta table.
   */
  keyLocks(): string {
    if (!this.staged)
      return `PERFORM pg_advisory_xact_lock(${this.s.keyLockClass}, key_hash) FROM unnest(v$locks) key_hash;`;
    return `PERFORM pg_advisory_xact_lock(${this.s.keyLockClass}, key_hash) FROM (SELECT DISTINCT ${this.hash("delta.")} AS key_hash FROM ${this.deltaFrom("delta", false)} ORDER BY 1) hashes;`;
  }

  /**
   * Step 3, the locks taken before the totals are touched (see post.ts, "Concurrency"): a write of
   * at most `limit` keys (`keys`) takes the register's data-area lock shared, then `keyLocks`; a
   * larger one takes the data-area lock exclusively and no key locks — it excludes the other
   * writers of this register in this data area only, never another area's.
   */
  lockKeys(keys: string, limit: number, keyLocks: string): string {
    return `IF ${keys} > ${limit} THEN
    PERFORM pg_advisory_xact_lock(${this.s.areaLockClass}, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(${this.s.areaLockClass}, v$area);
    ${keyLocks}
  END IF;`;
  }

  // ---- 4. the totals and the balance ----

  /** Is every key in one month of the delta (then the fast path applies)? */
  oneMonthPerKey(): string {
    return this.staged ? "v$keys = v$rows" : "cardinality(v$locks) = cardinality(d$month)";
  }

  /**
   * Balance registers: the fast path when `oneMonthPerKey` holds (then later months shifted),
   * else the general one. Shared by the write functions (ddl.ts) and the group writer's
   * write_many (bench/group-commit/write-many.ts).
   */
  balanceApply(oneMonthPerKey: string, fast: string, general: string[]): string {
    return `IF ${oneMonthPerKey} THEN
  ${fast}
  IF v$later > 0 THEN
    ${this.shiftLaterMonths()}
  END IF;
  ELSE
  ${general.join("\n  ")}
  END IF;`;
  }

  /**
   * `probed`: the delta rows `delta` (fast path: one month per key) with, per row, one probe for
   * the key's latest stored month (`latest`): before the delta month it is the balance to carry,
   * equal it means the row exists (relative update), after it means later months exist — only
   * then a second probe (gated by that condition) finds the month to carry (`carried`).
   * last$ = the latest month (null: the key has no totals at all), base$i = the balance to build on.
   */
  probeCte(): string {
    const resources = this.resources;
    const base = resources.map(
      (r, i) =>
        `CASE WHEN latest.month < delta.month THEN latest.${r} WHEN latest.month > delta.month THEN carried.${r} END AS base$${i + 1}`,
    );
    return `probed AS (SELECT delta.*, latest.month AS last$, ${base.join(", ")}
           FROM delta LEFT JOIN LATERAL (SELECT stored.month, ${this.qualified(resources, "stored.").join(", ")} FROM ${this.totalsTable} stored
                                      WHERE ${this.areaKey("stored", "delta")} ORDER BY stored.month DESC LIMIT 1) latest ON true
                      LEFT JOIN LATERAL (SELECT ${this.qualified(resources, "stored.").join(", ")} FROM ${this.totalsTable} stored
                                      WHERE latest.month > delta.month AND ${this.areaKey("stored", "delta")} AND stored.month < delta.month ORDER BY stored.month DESC LIMIT 1) carried ON true)`;
  }

  /** The month rows of `probed` rows as they are inserted: month, key, receipts, expenses, balance. */
  totalsValues(): string {
    const { resources, receiptColumns, expenseColumns } = this;
    return `probed.month, ${this.leadingList(this.qualified(this.dimensions, "probed."))}${resources.map((_r, i) => `probed.${receiptColumns[i]}, probed.${expenseColumns[i]}, coalesce(probed.base$${i + 1}, 0) + probed.${receiptColumns[i]} - probed.${expenseColumns[i]}`).join(", ")}`;
  }

  /** monthTotalsInsert (balance registers): the month rows of the `probed` rows matching `where`, inserted. */
  private monthTotalsInsert(where: string): string {
    return `INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(this.dimensions)}${this.totCols.join(", ")})
          SELECT ${this.totalsValues()} FROM probed${where ? ` WHERE ${where}` : ""}`;
  }

  /**
   * monthTotalsUpsert (balance registers): the month rows of `probed` (those matching `where`)
   * added to the stored ones — receipts, expenses and the month-end balance — or inserted with
   * the balance carried from the key's latest earlier month. RETURNING zero: the row has no
   * turnovers left (the cleanup drops it).
   */
  monthTotalsUpsert(where = ""): string {
    const { resources, totalsReceiptColumns: receipts, totalsExpenseColumns: expenses } = this;
    return `${this.monthTotalsInsert(where)}
          ON CONFLICT (${["area", ...this.dimensions, "month"].join(", ")}) DO UPDATE SET
             ${resources.map((r, i) => `${receipts[i]} = totals.${receipts[i]} + excluded.${receipts[i]}, ${expenses[i]} = totals.${expenses[i]} + excluded.${expenses[i]}, ${r} = totals.${r} + excluded.${receipts[i]} - excluded.${expenses[i]}`).join(",\n             ")}
          RETURNING (${this.allZero([...receipts, ...expenses], "totals.")}) AS zero`;
  }

  /** balanceInsert: the rows of `select` (dimensions…, net change per resource) inserted into the all-time balance. */
  private balanceInsert(select: string): string {
    const { dimensions, resources } = this;
    return `INSERT INTO ${this.balanceTable} AS balance (${this.leadingList(dimensions)}${resources.join(", ")})
          ${select}`;
  }

  /**
   * balanceUpsert: adds the rows of `select` (dimensions…, net change per resource) to the
   * all-time balance of their keys (acc_<r>__balance), inserting the keys not there yet.
   * RETURNING the key's new balance row (`withKey`: its dimensions too), for the zero-row
   * cleanup and the negative check.
   */
  balanceUpsert(select: string, withKey: boolean): string {
    const { dimensions, resources } = this;
    return `${this.balanceInsert(select)}
          ON CONFLICT (${["area", ...dimensions].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = balance.${r} + excluded.${r}`).join(", ")}
          RETURNING ${withKey ? this.leadingList(this.qualified(dimensions, "balance.")) : ""}${this.qualified(resources, "balance.").join(", ")}`;
  }

  /** The refused keys of balance rows `alias` as a jsonb array of {dimension: value, resource: balance}. */
  protected negativeJson(alias = "balance"): string {
    const pairs = [
      ...this.s.dims.map((d) => `${lit(d.col)}, ${alias}.${q(d.col)}`),
      ...this.s.res.map((r) => `${lit(r.col)}, ${alias}.${q(r.col)}::text`),
    ];
    return `jsonb_agg(jsonb_build_object(${pairs.join(", ")}))`;
  }

  /**
   * The fast path (balance registers, every key in one month of the delta), one statement: the
   * month rows (relative to the stored row, or carried from the key's latest earlier month), the
   * all-time balance, and the count of keys that have later months — shifted afterwards by
   * shiftLaterMonths(). Into v$zero, v$later, v$bzero the month rows and balance rows left at
   * zero and the keys with later months; into v$neg the keys a resource went down for and whose
   * balance is below zero.
   * Staging: keys that have no totals at all (a new debt period, a new item: `probed.last$ IS
   * NULL`) get their month row and balance row by a plain INSERT — half the cost of INSERT … ON
   * CONFLICT, measured on large sets; the key locks (or the data-area lock) are held, so "no row"
   * stays true until commit. The array source keeps one upsert for all keys.
   */
  fastApply(): string {
    const { resources, receiptColumns, expenseColumns, dimensions } = this;
    const newKeysApart = this.staged;
    const stored = newKeysApart ? "probed.last$ IS NOT NULL" : "";
    const balanceValues = `${this.leadingList(this.qualified(dimensions, "probed."))}${this.nets("probed").join(", ")}`;
    const balanceRows = (where: string) =>
      `SELECT ${balanceValues} FROM probed WHERE ${where ? `${where} AND (${this.moves("probed")})` : this.moves("probed")}`;
    const neg = resources
      .map((r, i) => `(balance.${r} < 0 AND delta.${receiptColumns[i]} < delta.${expenseColumns[i]})`)
      .join(" OR ");
    const negative = `(SELECT ${this.negativeJson()} FILTER (WHERE ${neg}) FROM balance_rows balance JOIN delta ON ${this.sameKey("balance", "delta")})`;
    // a new key's balance is its net change: below zero when its expenses exceed its receipts
    const newKeyBalance = `${this.leadingList(this.qualified(dimensions, "probed."))}${this.nets("probed")
      .map((n, i) => `${n} AS ${resources[i]}`)
      .join(", ")}`;
    const newKeyDown = resources
      .map((_, i) => `(probed.${receiptColumns[i]} < probed.${expenseColumns[i]})`)
      .join(" OR ");
    const newNegative = `(SELECT ${this.negativeJson()} FROM (SELECT ${newKeyBalance} FROM probed WHERE probed.last$ IS NULL AND (${newKeyDown})) balance)`;
    const ctes = [
      `delta AS (SELECT * FROM ${this.deltaFrom("delta", true)})`,
      this.probeCte(),
      ...(newKeysApart ? [`new_month_rows AS (${this.monthTotalsInsert("probed.last$ IS NULL")})`] : []),
      `month_rows AS (${this.monthTotalsUpsert(stored)})`,
      ...(newKeysApart ? [`new_balance_rows AS (${this.balanceInsert(balanceRows("probed.last$ IS NULL"))})`] : []),
      `balance_rows AS (${this.balanceUpsert(balanceRows(stored), true)})`,
    ];
    const negatives = newKeysApart
      ? `nullif(coalesce(${negative}, '[]'::jsonb)
                || coalesce(${newNegative}, '[]'::jsonb), '[]'::jsonb)`
      : negative;
    return `WITH ${ctes.join(",\n  ")}
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (${this.moves("probed")}) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE ${this.allZero(resources, "balance.")}) FROM balance_rows balance),
         ${negatives}
    INTO v$zero, v$later, v$bzero, v$neg;`;
  }

  /** Conditions "column = d$array[v$i]" of a per-row statement (array source). */
  private keyAt(t: string): string {
    return [`${t}.area = v$area`, ...this.dimensions.map((d, i) => `${t}.${d} = ${this.deltaKeyVars[i]}[v$i]`)].join(
      " AND ",
    );
  }

  /**
   * shiftLaterMonths: the month rows after the delta's month of each of its keys (fast path: one
   * delta month per key) move by the delta's net change — their month-end balances include it.
   * Array source: a loop of single-key UPDATEs, each an index probe however the statistics look;
   * staging: one hash join.
   */
  shiftLaterMonths(): string {
    const resources = this.resources;
    if (!this.staged)
      return `FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE ${this.totalsTable} later SET ${resources.map((r, i) => `${r} = later.${r} + (${this.deltaReceiptVars[i]}[v$i] - ${this.deltaExpenseVars[i]}[v$i])`).join(", ")}
       WHERE ${this.keyAt("later")} AND later.month > d$month[v$i];
    END LOOP;`;
    const nets = this.nets("delta");
    return `WITH delta AS (SELECT * FROM ${this.deltaFrom("delta", true)})
    UPDATE ${this.totalsTable} later SET ${resources.map((r, i) => `${r} = later.${r} + (${nets[i]})`).join(", ")}
      FROM delta WHERE ${this.areaKey("later", "delta")} AND later.month > delta.month;`;
  }

  /** Balance registers, a key in several months of the delta: three statements. */
  generalApply(): string[] {
    return [this.generalMonthRows(), this.generalLaterMonths(), this.generalBalance(true)];
  }

  /**
   * Does the key of delta row `d` have a stored month after d.month? A scalar subquery, not
   * EXISTS: the planner would turn EXISTS into a join and might then scan the data area.
   */
  private hasLater(d: string): string {
    return `(SELECT true FROM ${this.totalsTable} later_month WHERE ${this.areaKey("later_month", d)} AND later_month.month > ${d}.month LIMIT 1) IS NOT NULL`;
  }

  /**
   * General path, 1: the month rows of the delta get absolute values — turnovers added to the
   * stored month (if any), the balance carried from the key's latest month at or before it
   * (`before`) plus the delta's cumulative net change up to that month; v$later counts the rows
   * whose key has later months.
   */
  private generalMonthRows(): string {
    const {
      resources,
      receiptColumns,
      expenseColumns,
      dimensions,
      totalsReceiptColumns: receipts,
      totalsExpenseColumns: expenses,
    } = this;
    const totCols = this.totCols;
    const cum = resources.map((_, i) => `cum$${i + 1}`);
    const part = dimensions.length ? `PARTITION BY ${this.qualified(dimensions, "delta.").join(", ")} ` : "";
    const nets = this.nets("delta");
    return `WITH delta AS (SELECT * FROM ${this.deltaFrom("delta", true)}),
  cumulative AS (SELECT delta.*, ${resources.map((_, i) => `sum(${nets[i]}) OVER (${part}ORDER BY delta.month) AS ${cum[i]}`).join(", ")} FROM delta),
  absolute AS (SELECT cumulative.month, ${this.leadingList(this.qualified(dimensions, "cumulative."))}${resources.map((r, i) => `CASE WHEN before.month = cumulative.month THEN before.${receipts[i]} ELSE 0 END + cumulative.${receiptColumns[i]} AS ${receipts[i]}, CASE WHEN before.month = cumulative.month THEN before.${expenses[i]} ELSE 0 END + cumulative.${expenseColumns[i]} AS ${expenses[i]}, coalesce(before.${r}, 0) + cumulative.${cum[i]} AS ${r}`).join(",\n                 ")},
                 ${this.hasLater("cumulative")} AS later
            FROM cumulative LEFT JOIN LATERAL (SELECT stored.month, ${this.qualified(totCols, "stored.").join(", ")} FROM ${this.totalsTable} stored
                                       WHERE ${this.areaKey("stored", "cumulative")} AND stored.month <= cumulative.month ORDER BY stored.month DESC LIMIT 1) before ON true),
  month_rows AS (INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(dimensions)}${totCols.join(", ")})
        SELECT month, ${this.leadingList(dimensions)}${totCols.join(", ")} FROM absolute
        ON CONFLICT (${["area", ...dimensions, "month"].join(", ")}) DO UPDATE SET ${totCols.map((column) => `${column} = excluded.${column}`).join(", ")}
        RETURNING (${this.allZero([...receipts, ...expenses], "totals.")}) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows), (SELECT count(*) FILTER (WHERE later) FROM absolute) INTO v$zero, v$later;`;
  }

  /**
   * General path, 2: later months of those keys, not in the delta, move by the net change before
   * them — per stored later month (`later`) of a delta key, the sum of the delta's nets before it.
   * Array source: a loop of single-row UPDATEs over those months; staging: one UPDATE … FROM.
   */
  private generalLaterMonths(): string {
    const { resources, netColumns, dimensions } = this;
    const nets = this.nets("delta");
    const sums = resources.map((_, i) => `sum(${nets[i]}) AS ${netColumns[i]}`).join(", ");
    const laterKey = this.leadingList(this.qualified(dimensions, "later."));
    const notDelta = `(${[...this.qualified(dimensions, "later."), "later.month"].join(", ")}) NOT IN (SELECT ${[...this.qualified(dimensions, "in_delta."), "in_delta.month"].join(", ")} FROM delta in_delta)`;
    const update = !this.staged
      ? `FOR v$r IN
      WITH delta AS (SELECT * FROM ${this.deltaFrom("delta", true)})
      SELECT ${laterKey}later.month, ${sums}
        FROM delta CROSS JOIN LATERAL (SELECT ${laterKey}later.month FROM ${this.totalsTable} later WHERE ${this.areaKey("later", "delta")} AND later.month > delta.month OFFSET 0) later
       WHERE ${notDelta}
       GROUP BY ${laterKey}later.month
    LOOP
      UPDATE ${this.totalsTable} totals SET ${resources.map((r, i) => `${r} = totals.${r} + v$r.${netColumns[i]}`).join(", ")}
       WHERE ${[`totals.area = v$area`, ...dimensions.map((d) => `totals.${d} = v$r.${d}`), "totals.month = v$r.month"].join(" AND ")};
    END LOOP;`
      : `WITH delta AS (SELECT * FROM ${this.deltaFrom("delta", true)}),
    shift AS (SELECT ${laterKey}later.month, ${sums}
            FROM delta JOIN ${this.totalsTable} later ON ${this.areaKey("later", "delta")} AND later.month > delta.month
           WHERE ${notDelta}
           GROUP BY ${laterKey}later.month)
    UPDATE ${this.totalsTable} totals SET ${resources.map((r, i) => `${r} = totals.${r} + shift.${netColumns[i]}`).join(", ")}
      FROM shift WHERE ${this.areaKey("totals", "shift")} AND totals.month = shift.month;`;
    return `IF v$later > 0 THEN
    ${update}
  END IF;`;
  }

  /**
   * General path, 3: the all-time balance per key (`per_key`: the delta's net change summed over
   * its months); `withNegative`: also the refused keys into v$neg (a resource went down and the
   * balance is below zero) — the group writer's write_many checks per element instead
   * (bench/group-commit/write-many.ts).
   */
  generalBalance(withNegative: boolean): string {
    const { resources, netColumns, dimensions } = this;
    const nets = this.nets("delta");
    const perKey = `WITH per_key AS (SELECT ${this.leadingList(this.qualified(dimensions, "delta."))}${resources.map((_, i) => `sum(${nets[i]}) AS ${netColumns[i]}`).join(", ")}
               FROM ${this.deltaFrom("delta", true)}${dimensions.length ? " GROUP BY " + this.qualified(dimensions, "delta.").join(", ") : ""}),
       balance_rows AS (${this.balanceUpsert(`SELECT ${this.leadingList(dimensions)}${netColumns.join(", ")} FROM per_key WHERE ${this.nonzero(netColumns)}`, withNegative)})`;
    if (!withNegative)
      return `${perKey}
  SELECT count(*) FILTER (WHERE ${this.allZero(resources, "balance.")}) INTO v$bzero FROM balance_rows balance;`;
    return `${perKey}
  SELECT count(*) FILTER (WHERE ${this.allZero(resources, "balance.")}),
         ${this.negativeJson()} FILTER (WHERE ${resources.map((r, i) => `(balance.${r} < 0 AND per_key.${netColumns[i]} < 0)`).join(" OR ")})
    INTO v$bzero, v$neg
    FROM balance_rows balance JOIN per_key ON ${this.sameKey("balance", "per_key")};`;
  }

  /** turnoverTotalsInsert: the rows of `select` (month, key, turnovers) inserted into the month rows. */
  private turnoverTotalsInsert(select: string): string {
    const { dimensions, resources } = this;
    return `INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(dimensions)}${resources.join(", ")})
        ${select}`;
  }

  /**
   * turnoverTotalsUpsert (turnover registers): the rows of `select` (month, key, turnovers)
   * added to the stored month rows, or inserted. RETURNING zero: the row's turnovers are all zero.
   */
  turnoverTotalsUpsert(select: string): string {
    const { dimensions, resources } = this;
    return `${this.turnoverTotalsInsert(select)}
        ON CONFLICT (${["area", ...dimensions, "month"].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = totals.${r} + excluded.${r}`).join(", ")}
        RETURNING (${this.allZero(resources, "totals.")}) AS zero`;
  }

  /**
   * Turnover registers: the month turnovers added (every (month, key) is once in the delta); into
   * v$zero the month rows left at zero.
   * Staging: month rows the totals do not have yet (one index probe each, `stored$`) by a plain
   * INSERT, as the fast path does for new keys; the array source keeps one upsert.
   */
  turnoverApply(): string {
    const newMonthsApart = this.staged;
    const values = `delta.month, ${this.leadingList(this.qualified(this.dimensions, "delta."))}${this.qualified(this.receiptColumns, "delta.").join(", ")}`;
    const stored = `(SELECT true FROM ${this.totalsTable} stored WHERE ${this.areaKey("stored", "delta")} AND stored.month = delta.month) AS stored$`;
    const ctes = [
      `delta AS (SELECT delta.*${newMonthsApart ? `, ${stored}` : ""} FROM ${this.deltaFrom("delta", true)})`,
      ...(newMonthsApart
        ? [
            `new_month_rows AS (${this.turnoverTotalsInsert(`SELECT ${values} FROM delta WHERE delta.stored$ IS NULL`)})`,
          ]
        : []),
      `month_rows AS (${this.turnoverTotalsUpsert(`SELECT ${values} FROM delta${newMonthsApart ? " WHERE delta.stored$" : ""}`)})`,
    ];
    return `WITH ${ctes.join(",\n  ")}
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;`;
  }

  // ---- 5. rows left at zero ----

  /**
   * Step 5: drops month rows left without turnovers and balance rows left at zero, among the
   * delta's keys — a loop of single-key DELETEs (array source) or one DELETE … USING the delta
   * table (staging).
   */
  cleanup(): string[] {
    const noTurnovers = this.allZero(
      this.isBalance ? [...this.totalsReceiptColumns, ...this.totalsExpenseColumns] : this.resources,
      "totals.",
    );
    const atZero = this.allZero(this.resources, "balance.");
    const totals = this.staged
      ? `DELETE FROM ${this.totalsTable} totals USING ${this.deltaFrom("delta", false)} WHERE ${this.areaKey("totals", "delta")} AND totals.month = delta.month AND ${noTurnovers};`
      : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.totalsTable} totals WHERE ${this.keyAt("totals")} AND totals.month = d$month[v$i] AND ${noTurnovers};
    END LOOP;`;
    const out = [
      `IF v$zero > 0 THEN
    ${totals}
  END IF;`,
    ];
    if (this.isBalance) {
      const balance = this.staged
        ? `DELETE FROM ${this.balanceTable} balance USING ${this.deltaFrom("delta", false)} WHERE ${this.areaKey("balance", "delta")} AND ${atZero};`
        : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.balanceTable} balance WHERE ${this.keyAt("balance")} AND ${atZero};
    END LOOP;`;
      out.push(`IF v$bzero > 0 THEN
    ${balance}
  END IF;`);
    }
    return out;
  }
}
