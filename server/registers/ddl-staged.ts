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
    return ["month date", ...this.s.dims.map((d, i) => `${this.D[i]} ${d.baseType}`), ...this.deltaCols.map((c) => `${c} numeric`)].join(", ");
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
    return `old AS (DELETE FROM ${this.T} WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, ${this.pre(this.D)}${this.R.join(", ")})`;
  }

  /** The old set deleted and aggregated (a repost), then the new movements inserted. */
  replace(): string[] {
    const O = `pg_temp.${q(this.s.stagedOld)}`;
    return [
      `DROP TABLE IF EXISTS ${O};
  CREATE TEMP TABLE ${q(this.s.stagedOld)} (${this.aggColumns()}) ON COMMIT DROP;`,
      `IF (${this.oldLines()} LIMIT 1) IS NOT NULL THEN
    WITH ${this.deleteCte()}
    INSERT INTO ${O} ${this.oldGrouped()};
    v$old := true;
  ELSE
    v$old := false;
  END IF;`,
      this.insertNew(true),
    ];
  }

  /** A staging row's receipts and expenses (turnovers) as delta columns. */
  private rowDelta(): string[] {
    return this.bal
      ? [
          ...this.R.map((r, i) => `CASE WHEN s.record_kind = 1 THEN s.${r} ELSE 0 END AS ${this.rc[i]}`),
          ...this.R.map((r, i) => `CASE WHEN s.record_kind = -1 THEN s.${r} ELSE 0 END AS ${this.ec[i]}`),
        ]
      : this.R.map((r, i) => `s.${r} * s.record_kind AS ${this.rc[i]}`);
  }

  /** The delta table, its row count into v$rows and its number of distinct keys into v$keys. */
  override delta(): string {
    const T = q(this.s.stagedDelta);
    const keys = this.D.length ? `count(DISTINCT (${this.D.join(", ")}))` : "least(count(*), 1)";
    const order = `ORDER BY ${[...this.D, "month"].join(", ")}`;
    // The rows as they are, numbered within their key by month (one sort serves the numbering
    // and the table's order): the keys are then counted without another sort.
    const month = "date_trunc('month', s.period)::date";
    const rows = `SELECT ${month} AS month, ${this.pre(this.list(this.D, "s."))}${this.rowDelta().join(", ")},
             row_number() OVER (${this.D.length ? `PARTITION BY ${this.list(this.D, "s.").join(", ")} ` : ""}ORDER BY ${month}) AS first$
      FROM pg_temp.${q(this.s.staging)} s WHERE ${this.R.map((r) => `s.${r} <> 0`).join(" OR ")}`;
    const grouped = `SELECT month, ${this.pre(this.D)}${this.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
      FROM (${this.newDelta(true)}
            UNION ALL
            SELECT o.month, ${this.pre(this.list(this.D, "o."))}${this.deltaCols.map((c) => `-o.${c}`).join(", ")} FROM pg_temp.${q(this.s.stagedOld)} o) u
     GROUP BY month${this.D.length ? ", " + this.D.join(", ") : ""}
    HAVING ${this.deltaCols.map((c) => `sum(${c}) <> 0`).join(" OR ")}`;
    const create = (select: string) => `DROP TABLE IF EXISTS pg_temp.${T};
    CREATE TEMP TABLE ${T} ON COMMIT DROP AS ${select} ${order};`;
    const count = `SELECT count(*), ${keys} INTO v$rows, v$keys FROM pg_temp.${T};`;
    return `IF NOT v$old THEN
    ${create(rows)}
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp.${T};
  END IF;
  IF v$old OR v$keys < v$rows THEN
    ${create(grouped)}
    ${count}
  END IF;`;
  }

  /** The advisory key locks in ascending hash order, from the delta table. */
  keyLocks(lockClass: number): string {
    return `PERFORM pg_advisory_xact_lock(${lockClass}, h) FROM (SELECT DISTINCT ${this.hash("d.")} AS h FROM ${this.unnestDelta("d", false)} ORDER BY 1) x;`;
  }

  /**
   * Turnover registers: month rows the totals do not have yet (one index probe each) by a plain
   * INSERT, the others added to by INSERT … ON CONFLICT.
   */
  override turnoverApply(): string {
    const { R, D, rc } = this;
    const values = `d.month, ${this.pre(this.list(D, "d."))}${this.list(rc, "d.").join(", ")}`;
    return `WITH d AS (SELECT d.*, (SELECT true FROM ${this.TT} p WHERE ${this.tKey("p", "d")} AND p.month = d.month) AS stored$
                FROM ${this.unnestDelta("d", true)}),
  n AS (INSERT INTO ${this.TT} (month, ${this.pre(D)}${R.join(", ")}) SELECT ${values} FROM d WHERE d.stored$ IS NULL),
  u AS (INSERT INTO ${this.TT} AS t (month, ${this.pre(D)}${R.join(", ")})
        SELECT ${values} FROM d WHERE d.stored$
        ON CONFLICT (${["area", ...D, "month"].join(", ")}) DO UPDATE SET ${R.map((r) => `${r} = t.${r} + excluded.${r}`).join(", ")}
        RETURNING (${this.allZero(R, "t.")}) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM u;`;
  }

  /** Balance registers, every key in one month of the delta: new keys by plain INSERTs. */
  override fastApply(): string {
    if (!this.bal) return this.turnoverApply();
    const { R, D, rc, ec } = this;
    const neg = R.map((r, i) => `(b.${r} < 0 AND d.${rc[i]} < d.${ec[i]})`).join(" OR ");
    const negNew = R.map((_, i) => `(d.${rc[i]} < d.${ec[i]})`).join(" OR ");
    const moves = R.map((_, i) => `d.${rc[i]} <> d.${ec[i]}`).join(" OR ");
    const balValues = `${this.pre(this.list(D, "d."))}${R.map((_, i) => `d.${rc[i]} - d.${ec[i]}`).join(", ")}`;
    const nets = `${this.pre(this.list(D, "d."))}${R.map((r, i) => `d.${rc[i]} - d.${ec[i]} AS ${r}`).join(", ")}`;
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
  ${this.probeCte()},
  tn AS (INSERT INTO ${this.TT} (month, ${this.pre(D)}${this.totCols.join(", ")})
         SELECT ${this.totalsValues()} FROM dz d WHERE d.last$ IS NULL),
  tot AS (${this.totalsUpsert("d.last$ IS NOT NULL")}),
  bn AS (INSERT INTO ${this.TB} (${this.pre(D)}${R.join(", ")})
         SELECT ${balValues} FROM dz d WHERE d.last$ IS NULL AND (${moves})),
  bal AS (INSERT INTO ${this.TB} AS b (${this.pre(D)}${R.join(", ")})
          SELECT ${balValues} FROM dz d WHERE d.last$ IS NOT NULL AND (${moves})
          ON CONFLICT (${["area", ...D].join(", ")}) DO UPDATE SET ${R.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
          RETURNING ${this.pre(this.list(D, "b."))}${this.list(R, "b.").join(", ")})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM tot),
         (SELECT count(*) FROM dz d WHERE (${moves}) AND d.last$ > d.month),
         (SELECT count(*) FILTER (WHERE ${this.allZero(R, "b.")}) FROM bal b),
         nullif(coalesce((SELECT ${this.negativeJson()} FILTER (WHERE ${neg}) FROM bal b JOIN d ON ${this.keyEq("b", "d")}), '[]'::jsonb)
                || coalesce((SELECT ${this.negativeJson()} FROM (SELECT ${nets} FROM dz d WHERE d.last$ IS NULL AND (${negNew})) b), '[]'::jsonb), '[]'::jsonb)
    INTO v$zero, v$later, v$bzero, v$neg;`;
  }
}
