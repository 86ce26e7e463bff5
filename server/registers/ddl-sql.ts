/**
 * The statements inside the posting functions of an accumulation register (ddl.ts assembles
 * them into acc_<r>__write and acc_<r>__write_staged). Names inside the functions carry a `$`
 * (p$…, v$…, d$…, rcpt$1…), which no metadata-derived column can, so they never clash.
 *  - the delta: per (month, key) the receipts and expenses (balance registers) or turnovers of
 *    the new record set minus the old one; arrays d$month, d$k<i>, d$r<i>, d$e<i>;
 *  - the fast apply (every key in one month of the delta — the usual document): one statement
 *    upserts the month rows (relative to the stored row, or carried from the key's latest
 *    earlier month), shifts the balance of later months, and upserts the all-time balance;
 *  - the general apply (a key in several months): absolute month rows from a window over the
 *    delta, then the later months, then the balance.
 */
import { lit, q } from "../storage/naming.ts";
import type { AccShape } from "./shape.ts";

export { lit };

/**
 * The values of a movement sent as a jsonb array (post.ts#prepare: [period, kind, dims…,
 * resources…, attributes…]) from the row `alias`(fields, line): line, period, record_kind and
 * the fields cast to their column types.
 */
export function jsonRowValues(s: AccShape, alias: string): string[] {
  const fields = [...s.dims, ...s.res, ...s.attrs];
  return [
    `${alias}.line`,
    `(${alias}.fields->>0)::timestamp`,
    `(${alias}.fields->>1)::smallint`,
    ...fields.map((f, i) => `(${alias}.fields->>${i + 2})::${f.baseType}`),
  ];
}

export class RegisterSql {
  readonly movementsTable: string;
  readonly totalsTable: string;
  readonly balanceTable: string;
  readonly dimensions: string[];
  readonly resources: string[];
  readonly attributes: string[];
  readonly isBalance: boolean;
  /** plpgsql arrays of the delta: dimensions, receipts (or turnovers), expenses. */
  readonly deltaKeyVars: string[];
  readonly deltaReceiptVars: string[];
  readonly deltaExpenseVars: string[];
  /** Column names of the delta rows. */
  readonly receiptColumns: string[];
  readonly expenseColumns: string[];
  readonly netColumns: string[];
  readonly totalsReceiptColumns: string[];
  readonly totalsExpenseColumns: string[];

  /** staged: the large-set function (custom plans, hash joins); else the small one (nested loops). */
  constructor(
    readonly s: AccShape,
    readonly staged = false,
  ) {
    this.movementsTable = q(s.table);
    this.totalsTable = q(s.totals);
    this.balanceTable = q(s.balance);
    this.dimensions = s.dims.map((d) => q(d.col));
    this.resources = s.res.map((r) => q(r.col));
    this.attributes = s.attrs.map((a) => q(a.col));
    this.isBalance = s.isBalance;
    this.deltaKeyVars = s.dims.map((_, i) => `d$k${i + 1}`);
    this.deltaReceiptVars = s.res.map((_, i) => `d$r${i + 1}`);
    this.deltaExpenseVars = s.res.map((_, i) => `d$e${i + 1}`);
    this.receiptColumns = s.res.map((_, i) => `rcpt$${i + 1}`);
    this.expenseColumns = s.res.map((_, i) => `exp$${i + 1}`);
    this.netColumns = s.res.map((_, i) => `net$${i + 1}`);
    this.totalsReceiptColumns = s.res.map((r) => q(r.col + "_receipt"));
    this.totalsExpenseColumns = s.res.map((r) => q(r.col + "_expense"));
  }

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

  declarations(): string[] {
    const arrays = (p: string) => [
      `${p}$month date[];`,
      ...this.s.dims.map((d, i) => `${p}$k${i + 1} ${d.baseType}[];`),
      ...this.deltaVars.map((v) => `${v.replace("d$", p + "$")} numeric[];`),
    ];
    return [
      "v$area integer := nullif(current_setting('app.area', true), '')::integer;",
      ...arrays("d"),
      ...arrays("o"),
      "v$locks integer[];",
      "v$rows bigint;",
      "v$keys bigint;",
      "v$later bigint;",
      "v$zero bigint;",
      "v$bzero bigint;",
      "v$neg jsonb;",
      "v$i integer;",
      "v$r record;",
    ];
  }

  qualified = (xs: string[], alias = "") => xs.map((x) => alias + x);
  leadingList = (xs: string[]) => xs.map((x) => x + ", ").join("");
  sameKey = (a: string, b: string) => this.dimensions.map((d) => `${a}.${d} = ${b}.${d}`).join(" AND ") || "true";
  areaKey = (t: string, d: string) => `${t}.area = v$area AND ${this.sameKey(t, d)}`;
  nonzero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} <> 0`).join(" OR ");
  allZero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} = 0`).join(" AND ");
  hash = (alias = "") =>
    `hashtext(concat_ws(chr(31), ${["v$area", ...this.qualified(this.dimensions, alias)].join(", ")}))`;

  unnestDelta(alias: string, withRes: boolean): string {
    // The staged function keeps its delta in a temporary table of the same columns.
    if (this.staged) return `pg_temp.${q(this.s.stagedDelta)} ${alias}`;
    const arrays = ["d$month", ...this.deltaKeyVars, ...(withRes ? this.deltaVars : [])];
    const names = ["month", ...this.dimensions, ...(withRes ? this.deltaCols : [])];
    return `unnest(${arrays.join(", ")}) ${alias}(${names.join(", ")})`;
  }

  /** Aggregates per (month, key) of movement rows `m` (period, record_kind, dims, resources). */
  protected sums(m: string, sign = ""): string[] {
    return this.isBalance
      ? [
          ...this.resources.map(
            (r, i) =>
              `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = 1), 0) AS ${this.receiptColumns[i]}`,
          ),
          ...this.resources.map(
            (r, i) =>
              `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = -1), 0) AS ${this.expenseColumns[i]}`,
          ),
        ]
      : this.resources.map((r, i) => `${sign}sum(${m}.${r} * ${m}.record_kind) AS ${this.receiptColumns[i]}`);
  }

  /** The old set's movements grouped per (month, key), from the DELETE … RETURNING `old`. */
  protected oldGrouped(): string {
    return `SELECT date_trunc('month', old_row.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "old_row."))}${this.sums("old_row").join(", ")}
            FROM old old_row GROUP BY 1${this.dimensions.length ? ", " + this.qualified(this.dimensions, "old_row.").join(", ") : ""}`;
  }
  /** Lines of the recorder, read through the primary key (the ORDER BY makes it the only fit). */
  oldLines(): string {
    return `SELECT line FROM ${this.movementsTable} WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line`;
  }
  protected deleteCte(): string {
    // The lines come from oldLines(), so the DELETE matches the whole primary key: with a bare
    // "area = … AND recorder = …", a plan made on nearly empty statistics may scan the data area
    // through the (area, dims…, period) index — and a generic plan keeps that choice.
    return `old AS (DELETE FROM ${this.movementsTable} WHERE area = v$area AND recorder = p$recorder AND line = ANY (ARRAY(${this.oldLines()}))
                    RETURNING period, record_kind, ${this.leadingList(this.dimensions)}${this.resources.join(", ")})`;
  }
  protected aggOld(): string {
    return ["month", ...this.dimensions, ...this.deltaCols].map((c) => `array_agg(${c})`).join(", ");
  }

  /**
   * The jsonb path. A first posting (the recorder has no movements — one probe of the primary
   * key) inserts the rows and reads the delta sent by post.ts into d$, in one statement. A
   * repost also deletes the old movements, aggregated into the o$ arrays, in the same statement;
   * the INSERT's condition waits for the DELETE, so a line the recorder keeps is no key conflict.
   */
  replaceFromJson(): string {
    const into = `d$month, ${this.leadingList(this.deltaKeyVars)}${this.deltaVars.join(", ")}, v$locks`;
    return `IF (${this.oldLines()} LIMIT 1) IS NULL THEN
    WITH inserted AS (${this.insertNew(false).replace(/;$/, "")})
    SELECT ${this.aggDelta()} INTO ${into} FROM (${this.newDelta(false)}) new_delta;
  ELSE
    WITH ${this.deleteCte()},
    old_grouped AS (${this.oldGrouped()}),
    inserted AS (${this.insertNew(false).replace(/;$/, "")} WHERE (SELECT count(*) FROM old_grouped) >= 0)
    SELECT old_arrays.*, new_arrays.* INTO ${this.oldVars.join(", ")}, ${into}
      FROM (SELECT ${this.aggOld()} FROM old_grouped) old_arrays,
           (SELECT ${this.aggDelta()} FROM (${this.newDelta(false)}) new_delta) new_arrays;
  END IF;`;
  }

  /** Inserts the new movements from the jsonb rows or from the staging table. */
  insertNew(staged: boolean): string {
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
    const fields = [...this.s.dims, ...this.s.res, ...this.s.attrs];
    const values = staged
      ? [
          "p$recorder",
          "p$kind",
          "staged.line",
          "staged.period",
          "staged.record_kind",
          ...fields.map((f) => `staged.${q(f.col)}`),
        ]
      : ["p$recorder", "p$kind", ...jsonRowValues(this.s, "new_row")];
    const from = staged
      ? `pg_temp.${q(this.s.staging)} staged`
      : `jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line)`;
    return `INSERT INTO ${this.movementsTable} (${cols.join(", ")})
  SELECT ${values.join(", ")} FROM ${from};`;
  }

  /** The new set's delta rows: from the jsonb `delta` (aggregated by post.ts) or the staging table. */
  protected newDelta(staged: boolean): string {
    if (staged)
      return `SELECT date_trunc('month', staged.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "staged."))}${this.sums("staged").join(", ")}
                FROM pg_temp.${q(this.s.staging)} staged GROUP BY 1${this.dimensions.length ? ", " + this.qualified(this.dimensions, "staged.").join(", ") : ""}`;
    const types = this.s.dims.map((d) => d.baseType);
    return `SELECT (delta_row->>0)::date AS month, ${this.leadingList(this.dimensions.map((d, i) => `(delta_row->>${i + 1})::${types[i]} AS ${d}`))}${this.deltaCols.map((c, i) => `(delta_row->>${i + 1 + this.dimensions.length})::numeric AS ${c}`).join(", ")}
                FROM jsonb_array_elements(p$rows->'delta') delta_row`;
  }

  protected intoDelta(): string {
    return `INTO d$month, ${this.leadingList(this.deltaKeyVars)}${this.deltaVars.join(", ")}, v$locks`;
  }
  protected aggDelta(): string {
    return `array_agg(month), ${this.leadingList(this.dimensions.map((d) => `array_agg(${d})`))}${this.deltaCols.map((c) => `array_agg(${c})`).join(", ")}, array_agg(DISTINCT ${this.hash()} ORDER BY ${this.hash()})`;
  }

  /** A repost: the old set (o$ arrays) merged into the delta read by replaceFromJson (d$ arrays, v$locks). */
  delta(): string {
    const merge = `SELECT ${this.aggDelta()}
    ${this.intoDelta()}
    FROM (SELECT month, ${this.leadingList(this.dimensions)}${this.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
            FROM (${this.newDelta(false)}
                  UNION ALL
                  SELECT old_delta.month, ${this.leadingList(this.qualified(this.dimensions, "old_delta."))}${this.deltaCols.map((c) => `-old_delta.${c}`).join(", ")}
                    FROM unnest(${this.oldVars.join(", ")}) old_delta(month, ${this.leadingList(this.dimensions)}${this.deltaCols.join(", ")})) new_and_old
           GROUP BY month${this.dimensions.length ? ", " + this.dimensions.join(", ") : ""}) merged
   WHERE ${this.nonzero(this.deltaCols)};`;
    return `IF o$month IS NOT NULL THEN
    ${merge}
  END IF;`;
  }

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

  /**
   * balanceUpsert: adds the rows of `select` (dimensions…, net change per resource) to the
   * all-time balance of their keys (acc_<r>__balance), inserting the keys not there yet.
   * RETURNING the key's new balance row (`withKey`: its dimensions too), for the zero-row
   * cleanup and the negative check.
   */
  balanceUpsert(select: string, withKey: boolean): string {
    const { dimensions, resources } = this;
    return `INSERT INTO ${this.balanceTable} AS balance (${this.leadingList(dimensions)}${resources.join(", ")})
          ${select}
          ON CONFLICT (${["area", ...dimensions].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = balance.${r} + excluded.${r}`).join(", ")}
          RETURNING ${withKey ? this.leadingList(this.qualified(dimensions, "balance.")) : ""}${this.qualified(resources, "balance.").join(", ")}`;
  }

  /**
   * One statement, when every key is in one month of the delta: the month rows (relative to
   * the stored row, or carried from the key's latest earlier month), the all-time balance, and
   * the count of keys that have later months — shifted afterwards by shiftLaterMonths().
   */
  fastApply(): string {
    const { resources, receiptColumns, expenseColumns } = this;
    if (!this.isBalance) return this.turnoverApply();
    const neg = resources
      .map((r, i) => `(balance.${r} < 0 AND delta.${receiptColumns[i]} < delta.${expenseColumns[i]})`)
      .join(" OR ");
    return `WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)}),
  ${this.probeCte()},
  month_rows AS (${this.monthTotalsUpsert()}),
  balance_rows AS (${this.balanceUpsert(`SELECT ${this.leadingList(this.qualified(this.dimensions, "delta."))}${this.nets("delta").join(", ")} FROM delta WHERE ${this.moves("delta")}`, true)})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (${this.moves("probed")}) AND probed.last$ > probed.month),
         count(*) FILTER (WHERE ${this.allZero(resources, "balance.")}), ${this.negativeJson()} FILTER (WHERE ${neg})
    INTO v$zero, v$later, v$bzero, v$neg
    FROM balance_rows balance JOIN delta ON ${this.sameKey("balance", "delta")};`;
  }

  /** The month row columns of balance registers: receipts, expenses and balance per resource. */
  get totCols(): string[] {
    return this.resources.flatMap((r, i) => [this.totalsReceiptColumns[i], this.totalsExpenseColumns[i], r]);
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

  /**
   * monthTotalsUpsert (balance registers): the month rows of `probed` (those matching `where`)
   * added to the stored ones — receipts, expenses and the month-end balance — or inserted with
   * the balance carried from the key's latest earlier month. RETURNING zero: the row has no
   * turnovers left (the cleanup drops it).
   */
  monthTotalsUpsert(where = ""): string {
    const { resources, totalsReceiptColumns: receipts, totalsExpenseColumns: expenses } = this;
    return `INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(this.dimensions)}${this.totCols.join(", ")})
          SELECT ${this.totalsValues()} FROM probed${where ? ` WHERE ${where}` : ""}
          ON CONFLICT (${["area", ...this.dimensions, "month"].join(", ")}) DO UPDATE SET
             ${resources.map((r, i) => `${receipts[i]} = totals.${receipts[i]} + excluded.${receipts[i]}, ${expenses[i]} = totals.${expenses[i]} + excluded.${expenses[i]}, ${r} = totals.${r} + excluded.${receipts[i]} - excluded.${expenses[i]}`).join(",\n             ")}
          RETURNING (${this.allZero([...receipts, ...expenses], "totals.")}) AS zero`;
  }

  /**
   * turnoverTotalsUpsert (turnover registers): the rows of `select` (month, key, turnovers)
   * added to the stored month rows, or inserted. RETURNING zero: the row's turnovers are all zero.
   */
  turnoverTotalsUpsert(select: string): string {
    const { dimensions, resources } = this;
    return `INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(dimensions)}${resources.join(", ")})
        ${select}
        ON CONFLICT (${["area", ...dimensions, "month"].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = totals.${r} + excluded.${r}`).join(", ")}
        RETURNING (${this.allZero(resources, "totals.")}) AS zero`;
  }

  /**
   * Does the key of delta row `d` have a stored month after d.month? A scalar subquery, not
   * EXISTS: the planner would turn EXISTS into a join and might then scan the data area.
   */
  protected hasLater(d: string): string {
    return `(SELECT true FROM ${this.totalsTable} later_month WHERE ${this.areaKey("later_month", d)} AND later_month.month > ${d}.month LIMIT 1) IS NOT NULL`;
  }

  /** Conditions "column = d$array[v$i]" of a per-row statement in the small function. */
  protected keyAt(t: string): string {
    return [`${t}.area = v$area`, ...this.dimensions.map((d, i) => `${t}.${d} = ${this.deltaKeyVars[i]}[v$i]`)].join(
      " AND ",
    );
  }

  /**
   * shiftLaterMonths: the month rows after the delta's month of each of its keys (fast path: one
   * delta month per key) move by the delta's net change — their month-end balances include it.
   * Small function: a loop of single-key UPDATEs, each an index probe however the statistics
   * look; staged: one hash join.
   */
  shiftLaterMonths(): string {
    const resources = this.resources;
    if (!this.staged)
      return `FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE ${this.totalsTable} later SET ${resources.map((r, i) => `${r} = later.${r} + (${this.deltaReceiptVars[i]}[v$i] - ${this.deltaExpenseVars[i]}[v$i])`).join(", ")}
       WHERE ${this.keyAt("later")} AND later.month > d$month[v$i];
    END LOOP;`;
    const nets = this.nets("delta");
    return `WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)})
    UPDATE ${this.totalsTable} later SET ${resources.map((r, i) => `${r} = later.${r} + (${nets[i]})`).join(", ")}
      FROM delta WHERE ${this.areaKey("later", "delta")} AND later.month > delta.month;`;
  }

  /**
   * The locks taken before the totals are touched (see post.ts, "Concurrency"): a write of at most
   * `limit` keys takes the register's data-area lock shared, then `keyLocks` (its key locks in
   * ascending hash order); a larger one takes the data-area lock exclusively and no key locks —
   * it excludes the other writers of this register in this data area only, never another area's.
   */
  lockKeys(keys: string, limit: number, keyLocks: string): string {
    return `IF ${keys} > ${limit} THEN
    PERFORM pg_advisory_xact_lock(${this.s.areaLockClass}, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(${this.s.areaLockClass}, v$area);
    ${keyLocks}
  END IF;`;
  }

  /** The key locks of the small functions: one per hash in v$locks, which holds them distinct and ascending. */
  keyLocksFromArray(): string {
    return `PERFORM pg_advisory_xact_lock(${this.s.keyLockClass}, key_hash) FROM unnest(v$locks) key_hash;`;
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
   * Balance registers: the fast path when `oneMonthPerKey` holds (then later months shifted),
   * else the general one. Shared by the write functions (ddl.ts) and the group writer's write_many (bench/group-commit/write-many.ts).
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

  /** Turnover registers: add the month turnovers (every (month, key) is once in the delta). */
  turnoverApply(): string {
    const select = `SELECT delta.month, ${this.leadingList(this.qualified(this.dimensions, "delta."))}${this.qualified(this.receiptColumns, "delta.").join(", ")} FROM ${this.unnestDelta("delta", true)}`;
    return `WITH month_rows AS (${this.turnoverTotalsUpsert(select)})
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;`;
  }

  /** Balance registers, a key in several months of the delta: three statements. */
  generalApply(): string[] {
    return [this.generalMonthRows(), this.generalLaterMonths(), this.generalBalance(true)];
  }

  /**
   * General path, 1: the month rows of the delta get absolute values — turnovers added to the
   * stored month (if any), the balance carried from the key's latest month at or before it
   * (`before`) plus the delta's cumulative net change up to that month; v$later counts the rows
   * whose key has later months.
   */
  protected generalMonthRows(): string {
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
    return `WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)}),
  cumulative AS (SELECT delta.*, ${resources.map((_, i) => `sum(${nets[i]}) OVER (${part}ORDER BY delta.month) AS ${cum[i]}`).join(", ")} FROM delta),
  absolute AS (SELECT cumulative.month, ${this.leadingList(this.qualified(dimensions, "cumulative."))}${resources.map((r, i) => `CASE WHEN before.month = cumulative.month THEN before.${receipts[i]} ELSE 0 END + cumulative.${receiptColumns[i]} AS ${receipts[i]}, CASE WHEN before.month = cumulative.month THEN before.${expenses[i]} ELSE 0 END + cumulative.${expenseColumns[i]} AS ${expenses[i]}, coalesce(before.${r}, 0) + cumulative.${cum[i]} AS ${r}`).join(",\n                 ")},
                 ${this.hasLater("cumulative")} AS later
            FROM cumulative LEFT JOIN LATERAL (SELECT stored.month, ${this.qualified(totCols, "stored.").join(", ")} FROM ${this.totalsTable} stored
                                       WHERE ${this.areaKey("stored", "cumulative")} AND stored.month <= cumulative.month ORDER BY stored.month DESC LIMIT 1) before ON true),
  month_rows AS (INSERT INTO ${this.totalsTable} AS totals (month, ${this.leadingList(dimensions)}${totCols.join(", ")})
        SELECT month, ${this.leadingList(dimensions)}${totCols.join(", ")} FROM absolute
        ON CONFLICT (${["area", ...dimensions, "month"].join(", ")}) DO UPDATE SET ${totCols.map((x) => `${x} = excluded.${x}`).join(", ")}
        RETURNING (${this.allZero([...receipts, ...expenses], "totals.")}) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows), (SELECT count(*) FILTER (WHERE later) FROM absolute) INTO v$zero, v$later;`;
  }

  /** General path, 2: later months of those keys, not in the delta, move by the net change before them. */
  protected generalLaterMonths(): string {
    return `IF v$later > 0 THEN
    ${this.generalLater()}
  END IF;`;
  }

  /**
   * General path, 3: the all-time balance per key (`per_key`: the delta's net change summed over
   * its months); `withNegative`: also the refused keys into v$neg (a resource went down and the
   * balance is below zero) — the group writer's write_many checks per element instead (bench/group-commit/write-many.ts).
   */
  generalBalance(withNegative: boolean): string {
    const { resources, netColumns, dimensions } = this;
    const nets = this.nets("delta");
    const perKey = `WITH per_key AS (SELECT ${this.leadingList(this.qualified(dimensions, "delta."))}${resources.map((_, i) => `sum(${nets[i]}) AS ${netColumns[i]}`).join(", ")}
               FROM ${this.unnestDelta("delta", true)}${dimensions.length ? " GROUP BY " + this.qualified(dimensions, "delta.").join(", ") : ""}),
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

  /**
   * The later-month shift of the general path: per stored later month (`later`) of a delta key,
   * not itself in the delta, the sum of the delta's nets before it (`shift`).
   */
  protected generalLater(): string {
    const { resources, netColumns, dimensions } = this;
    const nets = this.nets("delta");
    const sums = resources.map((_, i) => `sum(${nets[i]}) AS ${netColumns[i]}`).join(", ");
    const laterKey = this.leadingList(this.qualified(dimensions, "later."));
    const notDelta = `(${[...this.qualified(dimensions, "later."), "later.month"].join(", ")}) NOT IN (SELECT ${[...this.qualified(dimensions, "in_delta."), "in_delta.month"].join(", ")} FROM delta in_delta)`;
    if (!this.staged)
      return `FOR v$r IN
      WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)})
      SELECT ${laterKey}later.month, ${sums}
        FROM delta CROSS JOIN LATERAL (SELECT ${laterKey}later.month FROM ${this.totalsTable} later WHERE ${this.areaKey("later", "delta")} AND later.month > delta.month OFFSET 0) later
       WHERE ${notDelta}
       GROUP BY ${laterKey}later.month
    LOOP
      UPDATE ${this.totalsTable} totals SET ${resources.map((r, i) => `${r} = totals.${r} + v$r.${netColumns[i]}`).join(", ")}
       WHERE ${[`totals.area = v$area`, ...dimensions.map((d) => `totals.${d} = v$r.${d}`), "totals.month = v$r.month"].join(" AND ")};
    END LOOP;`;
    return `WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)}),
    shift AS (SELECT ${laterKey}later.month, ${sums}
            FROM delta JOIN ${this.totalsTable} later ON ${this.areaKey("later", "delta")} AND later.month > delta.month
           WHERE ${notDelta}
           GROUP BY ${laterKey}later.month)
    UPDATE ${this.totalsTable} totals SET ${resources.map((r, i) => `${r} = totals.${r} + shift.${netColumns[i]}`).join(", ")}
      FROM shift WHERE ${this.areaKey("totals", "shift")} AND totals.month = shift.month;`;
  }

  /** Drops month rows left without turnovers and balance rows left at zero (loops or joins, as above). */
  cleanup(): string[] {
    const noTurnovers = this.allZero(
      this.isBalance ? [...this.totalsReceiptColumns, ...this.totalsExpenseColumns] : this.resources,
      "totals.",
    );
    const atZero = this.allZero(this.resources, "balance.");
    const totals = this.staged
      ? `DELETE FROM ${this.totalsTable} totals USING ${this.unnestDelta("delta", false)} WHERE ${this.areaKey("totals", "delta")} AND totals.month = delta.month AND ${noTurnovers};`
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
        ? `DELETE FROM ${this.balanceTable} balance USING ${this.unnestDelta("delta", false)} WHERE ${this.areaKey("balance", "delta")} AND ${atZero};`
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
