/**
 * The statements of acc_<r>__write_staged, the large-record-set function (ddl.ts assembles it):
 * post.ts COPYs the rows into pg_temp.acc_<r>__in, this function does the rest set-based, with
 * temporary tables instead of the small function's plpgsql arrays:
 *  - the recorder's old movements (a repost) are deleted and aggregated per (month, key) into
 *    pg_temp.acc_<r>__old; the new ones are inserted from the staging table;
 *  - the delta per (month, key) goes to pg_temp.acc_<r>__delta, sorted by key so the totals are
 *    probed and written in index order. The usual large set — a first posting with one row per
 *    key, like a month's batch of charges — needs no aggregation: the rows are the delta (checked by
 *    counting distinct keys); otherwise it is grouped, the old set subtracted;
 *  - balance registers, every key in one month: keys that have no totals at all (a new debt
 *    period, a new item) get their month row and balance row by a plain INSERT — half the cost
 *    of INSERT … ON CONFLICT, measured — the others as in the small function; turnover registers
 *    likewise for month rows not stored yet. The key locks
 *    (or the table lock past KEY_LOCK_LIMIT keys) are held, so "no row" stays true until commit.
 */
import { q } from "../storage/naming.ts";
import { RegisterSql } from "./ddl-sql.ts";
import type { AccShape } from "./shape.ts";

export class StagedRegisterSql extends RegisterSql {
  constructor(s: AccShape) {
    super(s, true);
  }

  override declarations(): string[] {
    return [...super.declarations(), "v$old boolean;"];
  }

  /** Column definitions of a per-(month, key) aggregate table. */
  private aggColumns(): string {
    return [
      "month date",
      ...this.s.dims.map((d, i) => `${this.dimensions[i]} ${d.baseType}`),
      ...this.deltaCols.map((c) => `${c} numeric`),
    ].join(", ");
  }

  /**
   * The recorder's old movements, deleted by the primary key's prefix alone. Not as the small
   * function deletes them (line = ANY of the lines read first): when the statistics say the
   * table is empty — as after a large set was unposted and autovacuum counted what was left — the
   * planner costs that array as ten index descents and scans the data area through the key
   * index instead, testing every row against the whole array: quadratic (a repost of the 100k
   * 100k-key set over itself after its unposting ran 960 s; the small function never sees more than
   * COPY_THRESHOLD old lines). With only (area, recorder) the primary key is the plain choice, and
   * any other plan is still a linear scan.
   */
  protected override deleteCte(): string {
    return `old AS (DELETE FROM ${this.movementsTable} WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, ${this.leadingList(this.dimensions)}${this.resources.join(", ")})`;
  }

  /** The old set deleted and aggregated (a repost), then the new movements inserted. */
  replace(): string[] {
    const oldTable = `pg_temp.${q(this.s.stagedOld)}`;
    return [
      `DROP TABLE IF EXISTS ${oldTable};
  CREATE TEMP TABLE ${q(this.s.stagedOld)} (${this.aggColumns()}) ON COMMIT DROP;`,
      `IF (${this.oldLines()} LIMIT 1) IS NOT NULL THEN
    WITH ${this.deleteCte()}
    INSERT INTO ${oldTable} ${this.oldGrouped()};
    v$old := true;
  ELSE
    v$old := false;
  END IF;`,
      this.insertNew(true),
    ];
  }

  /** A staging row's receipts and expenses (turnovers) as delta columns. */
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

  /** The delta table, its row count into v$rows and its number of distinct keys into v$keys. */
  override delta(): string {
    const deltaTable = q(this.s.stagedDelta);
    const keys = this.dimensions.length ? `count(DISTINCT (${this.dimensions.join(", ")}))` : "least(count(*), 1)";
    const order = `ORDER BY ${[...this.dimensions, "month"].join(", ")}`;
    // The rows as they are, numbered within their key by month (one sort serves the numbering
    // and the table's order): the keys are then counted without another sort.
    const month = "date_trunc('month', staged.period)::date";
    const rows = `SELECT ${month} AS month, ${this.leadingList(this.qualified(this.dimensions, "staged."))}${this.rowDelta().join(", ")},
             row_number() OVER (${this.dimensions.length ? `PARTITION BY ${this.qualified(this.dimensions, "staged.").join(", ")} ` : ""}ORDER BY ${month}) AS first$
      FROM pg_temp.${q(this.s.staging)} staged WHERE ${this.resources.map((r) => `staged.${r} <> 0`).join(" OR ")}`;
    const grouped = `SELECT month, ${this.leadingList(this.dimensions)}${this.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
      FROM (${this.newDelta(true)}
            UNION ALL
            SELECT old_delta.month, ${this.leadingList(this.qualified(this.dimensions, "old_delta."))}${this.deltaCols.map((c) => `-old_delta.${c}`).join(", ")} FROM pg_temp.${q(this.s.stagedOld)} old_delta) new_and_old
     GROUP BY month${this.dimensions.length ? ", " + this.dimensions.join(", ") : ""}
    HAVING ${this.deltaCols.map((c) => `sum(${c}) <> 0`).join(" OR ")}`;
    const create = (select: string) => `DROP TABLE IF EXISTS pg_temp.${deltaTable};
    CREATE TEMP TABLE ${deltaTable} ON COMMIT DROP AS ${select} ${order};`;
    const count = `SELECT count(*), ${keys} INTO v$rows, v$keys FROM pg_temp.${deltaTable};`;
    return `IF NOT v$old THEN
    ${create(rows)}
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp.${deltaTable};
  END IF;
  IF v$old OR v$keys < v$rows THEN
    ${create(grouped)}
    ${count}
  END IF;`;
  }

  /** The key locks of the staged function: one per distinct key hash of the delta table, in ascending order. */
  keyLocksFromDelta(): string {
    return `PERFORM pg_advisory_xact_lock(${this.s.keyLockClass}, key_hash) FROM (SELECT DISTINCT ${this.hash("delta.")} AS key_hash FROM ${this.unnestDelta("delta", false)} ORDER BY 1) hashes;`;
  }

  /**
   * Turnover registers: month rows the totals do not have yet (one index probe each) by a plain
   * INSERT, the others added to by turnoverTotalsUpsert.
   */
  override turnoverApply(): string {
    const { resources, dimensions, receiptColumns } = this;
    const values = `delta.month, ${this.leadingList(this.qualified(dimensions, "delta."))}${this.qualified(receiptColumns, "delta.").join(", ")}`;
    return `WITH delta AS (SELECT delta.*, (SELECT true FROM ${this.totalsTable} stored WHERE ${this.areaKey("stored", "delta")} AND stored.month = delta.month) AS stored$
                FROM ${this.unnestDelta("delta", true)}),
  new_month_rows AS (INSERT INTO ${this.totalsTable} (month, ${this.leadingList(dimensions)}${resources.join(", ")}) SELECT ${values} FROM delta WHERE delta.stored$ IS NULL),
  month_rows AS (${this.turnoverTotalsUpsert(`SELECT ${values} FROM delta WHERE delta.stored$`)})
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;`;
  }

  /** Balance registers, every key in one month of the delta: new keys (no totals at all) by plain INSERTs. */
  override fastApply(): string {
    if (!this.isBalance) return this.turnoverApply();
    const { resources, dimensions, receiptColumns, expenseColumns } = this;
    const neg = resources
      .map((r, i) => `(balance.${r} < 0 AND delta.${receiptColumns[i]} < delta.${expenseColumns[i]})`)
      .join(" OR ");
    const negNew = resources.map((_, i) => `(probed.${receiptColumns[i]} < probed.${expenseColumns[i]})`).join(" OR ");
    const moves = this.moves("probed");
    const balValues = `${this.leadingList(this.qualified(dimensions, "probed."))}${this.nets("probed").join(", ")}`;
    const nets = `${this.leadingList(this.qualified(dimensions, "probed."))}${this.nets("probed")
      .map((n, i) => `${n} AS ${resources[i]}`)
      .join(", ")}`;
    return `WITH delta AS (SELECT * FROM ${this.unnestDelta("delta", true)}),
  ${this.probeCte()},
  new_month_rows AS (INSERT INTO ${this.totalsTable} (month, ${this.leadingList(dimensions)}${this.totCols.join(", ")})
         SELECT ${this.totalsValues()} FROM probed WHERE probed.last$ IS NULL),
  month_rows AS (${this.monthTotalsUpsert("probed.last$ IS NOT NULL")}),
  new_balance_rows AS (INSERT INTO ${this.balanceTable} (${this.leadingList(dimensions)}${resources.join(", ")})
         SELECT ${balValues} FROM probed WHERE probed.last$ IS NULL AND (${moves})),
  balance_rows AS (${this.balanceUpsert(`SELECT ${balValues} FROM probed WHERE probed.last$ IS NOT NULL AND (${moves})`, true)})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (${moves}) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE ${this.allZero(resources, "balance.")}) FROM balance_rows balance),
         nullif(coalesce((SELECT ${this.negativeJson()} FILTER (WHERE ${neg}) FROM balance_rows balance JOIN delta ON ${this.sameKey("balance", "delta")}), '[]'::jsonb)
                || coalesce((SELECT ${this.negativeJson()} FROM (SELECT ${nets} FROM probed WHERE probed.last$ IS NULL AND (${negNew})) balance), '[]'::jsonb), '[]'::jsonb)
    INTO v$zero, v$later, v$bzero, v$neg;`;
  }
}
