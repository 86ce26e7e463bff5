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
  constructor(readonly s: AccShape, readonly staged = false) {
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
    return ["o$month", ...this.deltaKeyVars.map((v) => v.replace("d$", "o$")), ...this.deltaVars.map((v) => v.replace("d$", "o$"))];
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
  hash = (alias = "") => `hashtext(concat_ws(chr(31), ${["v$area", ...this.qualified(this.dimensions, alias)].join(", ")}))`;

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
          ...this.resources.map((r, i) => `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = 1), 0) AS ${this.receiptColumns[i]}`),
          ...this.resources.map((r, i) => `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = -1), 0) AS ${this.expenseColumns[i]}`),
        ]
      : this.resources.map((r, i) => `${sign}sum(${m}.${r} * ${m}.record_kind) AS ${this.receiptColumns[i]}`);
  }

  /** The old set's movements grouped per (month, key), from the DELETE … RETURNING `old`. */
  protected oldGrouped(): string {
    return `SELECT date_trunc('month', m.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "m."))}${this.sums("m").join(", ")}
            FROM old m GROUP BY 1${this.dimensions.length ? ", " + this.qualified(this.dimensions, "m.").join(", ") : ""}`;
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
    WITH ins AS (${this.insertNew(false).replace(/;$/, "")})
    SELECT ${this.aggDelta()} INTO ${into} FROM (${this.newDelta(false)}) g;
  ELSE
    WITH ${this.deleteCte()},
    og AS (${this.oldGrouped()}),
    ins AS (${this.insertNew(false).replace(/;$/, "")} WHERE (SELECT count(*) FROM og) >= 0)
    SELECT o.*, n.* INTO ${this.oldVars.join(", ")}, ${into}
      FROM (SELECT ${this.aggOld()} FROM og) o,
           (SELECT ${this.aggDelta()} FROM (${this.newDelta(false)}) g) n;
  END IF;`;
  }

  /** Inserts the new movements from the jsonb rows or from the staging table. */
  insertNew(staged: boolean): string {
    const cols = ["recorder", "recorder_kind", "line", "period", "record_kind", ...this.dimensions, ...this.resources, ...this.attributes];
    const fields = [...this.s.dims, ...this.s.res, ...this.s.attrs];
    const values = staged
      ? ["p$recorder", "p$kind", "s.line", "s.period", "s.record_kind", ...fields.map((f) => `s.${q(f.col)}`)]
      : ["p$recorder", "p$kind", "e.line", "(e.r->>0)::timestamp", "(e.r->>1)::smallint", ...fields.map((f, i) => `(e.r->>${i + 2})::${f.baseType}`)];
    const from = staged ? `pg_temp.${q(this.s.staging)} s` : `jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS e(r, line)`;
    return `INSERT INTO ${this.movementsTable} (${cols.join(", ")})
  SELECT ${values.join(", ")} FROM ${from};`;
  }

  /** The new set's delta rows: from the jsonb `delta` (aggregated by post.ts) or the staging table. */
  protected newDelta(staged: boolean): string {
    if (staged)
      return `SELECT date_trunc('month', s.period)::date AS month, ${this.leadingList(this.qualified(this.dimensions, "s."))}${this.sums("s").join(", ")}
                FROM pg_temp.${q(this.s.staging)} s GROUP BY 1${this.dimensions.length ? ", " + this.qualified(this.dimensions, "s.").join(", ") : ""}`;
    const types = this.s.dims.map((d) => d.baseType);
    return `SELECT (x->>0)::date AS month, ${this.leadingList(this.dimensions.map((d, i) => `(x->>${i + 1})::${types[i]} AS ${d}`))}${this.deltaCols.map((c, i) => `(x->>${i + 1 + this.dimensions.length})::numeric AS ${c}`).join(", ")}
                FROM jsonb_array_elements(p$rows->'delta') x`;
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
                  SELECT o.month, ${this.leadingList(this.qualified(this.dimensions, "o."))}${this.deltaCols.map((c) => `-o.${c}`).join(", ")}
                    FROM unnest(${this.oldVars.join(", ")}) o(month, ${this.leadingList(this.dimensions)}${this.deltaCols.join(", ")})) u
           GROUP BY month${this.dimensions.length ? ", " + this.dimensions.join(", ") : ""}) g
   WHERE ${this.nonzero(this.deltaCols)};`;
    return `IF o$month IS NOT NULL THEN
    ${merge}
  END IF;`;
  }

  /**
   * One statement, when every key is in one month of the delta: the month rows (relative to
   * the stored row, or carried from the key's latest earlier month), the all-time balance, and
   * the count of keys that have later months — shifted afterwards by shiftLater().
   */
  fastApply(): string {
    const { resources, receiptColumns, expenseColumns } = this;
    if (!this.isBalance) return this.turnoverApply();
    const neg = resources.map((r, i) => `(b.${r} < 0 AND d.${receiptColumns[i]} < d.${expenseColumns[i]})`).join(" OR ");
    const moves = resources.map((_, i) => `d.${receiptColumns[i]} <> d.${expenseColumns[i]}`).join(" OR ");
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
  ${this.probeCte()},
  tot AS (${this.totalsUpsert()}),
  bal AS (INSERT INTO ${this.balanceTable} AS b (${this.leadingList(this.dimensions)}${resources.join(", ")})
          SELECT ${this.leadingList(this.qualified(this.dimensions, "d."))}${resources.map((_, i) => `d.${receiptColumns[i]} - d.${expenseColumns[i]}`).join(", ")} FROM d WHERE ${moves}
          ON CONFLICT (${["area", ...this.dimensions].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
          RETURNING ${this.leadingList(this.qualified(this.dimensions, "b."))}${this.qualified(resources, "b.").join(", ")})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM tot),
         (SELECT count(*) FROM dz d WHERE (${moves}) AND d.last$ > d.month),
         count(*) FILTER (WHERE ${this.allZero(resources, "b.")}), ${this.negativeJson()} FILTER (WHERE ${neg})
    INTO v$zero, v$later, v$bzero, v$neg
    FROM bal b JOIN d ON ${this.sameKey("b", "d")};`;
  }

  /** The month row columns of balance registers: receipts, expenses and balance per resource. */
  get totCols(): string[] {
    return this.resources.flatMap((r, i) => [this.totalsReceiptColumns[i], this.totalsExpenseColumns[i], r]);
  }

  /**
   * `dz`: the delta rows `d` (fast path: one month per key) with, per row, one probe for the
   * key's latest stored month z: before the delta month it is the balance to carry, equal it
   * means the row exists (relative update), after it means later months exist — only then a
   * second probe (gated by that condition) finds the month to carry. last$ = z's month (null:
   * the key has no totals at all), base$i = the balance to build on.
   */
  probeCte(): string {
    const resources = this.resources;
    const base = resources.map((r, i) => `CASE WHEN z.month < d.month THEN z.${r} WHEN z.month > d.month THEN y.${r} END AS base$${i + 1}`);
    return `dz AS (SELECT d.*, z.month AS last$, ${base.join(", ")}
           FROM d LEFT JOIN LATERAL (SELECT p.month, ${this.qualified(resources, "p.").join(", ")} FROM ${this.totalsTable} p
                                      WHERE ${this.areaKey("p", "d")} ORDER BY p.month DESC LIMIT 1) z ON true
                  LEFT JOIN LATERAL (SELECT ${this.qualified(resources, "p.").join(", ")} FROM ${this.totalsTable} p
                                      WHERE z.month > d.month AND ${this.areaKey("p", "d")} AND p.month < d.month ORDER BY p.month DESC LIMIT 1) y ON true)`;
  }

  /** The month rows of `dz` rows as they are inserted: month, key, receipts, expenses, balance. */
  totalsValues(): string {
    const { resources, receiptColumns, expenseColumns } = this;
    return `d.month, ${this.leadingList(this.qualified(this.dimensions, "d."))}${resources.map((_r, i) => `d.${receiptColumns[i]}, d.${expenseColumns[i]}, coalesce(d.base$${i + 1}, 0) + d.${receiptColumns[i]} - d.${expenseColumns[i]}`).join(", ")}`;
  }

  /** The month rows of `dz` (those matching `where`) added to the stored ones; RETURNING zero: the row has no turnovers left. */
  totalsUpsert(where = ""): string {
    const resources = this.resources;
    return `INSERT INTO ${this.totalsTable} AS t (month, ${this.leadingList(this.dimensions)}${this.totCols.join(", ")})
          SELECT ${this.totalsValues()} FROM dz d${where ? ` WHERE ${where}` : ""}
          ON CONFLICT (${["area", ...this.dimensions, "month"].join(", ")}) DO UPDATE SET
             ${resources.map((r, i) => `${this.totalsReceiptColumns[i]} = t.${this.totalsReceiptColumns[i]} + excluded.${this.totalsReceiptColumns[i]}, ${this.totalsExpenseColumns[i]} = t.${this.totalsExpenseColumns[i]} + excluded.${this.totalsExpenseColumns[i]}, ${r} = t.${r} + excluded.${this.totalsReceiptColumns[i]} - excluded.${this.totalsExpenseColumns[i]}`).join(",\n             ")}
          RETURNING (${this.allZero([...this.totalsReceiptColumns, ...this.totalsExpenseColumns], "t.")}) AS zero`;
  }

  /**
   * Does the key of delta row `d` have a stored month after d.month? A scalar subquery, not
   * EXISTS: the planner would turn EXISTS into a join and might then scan the data area.
   */
  protected hasLater(d: string): string {
    return `(SELECT true FROM ${this.totalsTable} l WHERE ${this.areaKey("l", d)} AND l.month > ${d}.month LIMIT 1) IS NOT NULL`;
  }

  /** Conditions "column = d$array[v$i]" of a per-row statement in the small function. */
  protected keyAt(t: string): string {
    return [`${t}.area = v$area`, ...this.dimensions.map((d, i) => `${t}.${d} = ${this.deltaKeyVars[i]}[v$i]`)].join(" AND ");
  }

  /**
   * Later months of the delta's keys (fast path: one delta month per key) move by its net
   * change. Small function: a loop of single-key UPDATEs, each an index probe however the
   * statistics look; staged: one hash join.
   */
  shiftLater(): string {
    const { resources, receiptColumns, expenseColumns } = this;
    if (!this.staged)
      return `FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE ${this.totalsTable} t SET ${resources.map((r, i) => `${r} = t.${r} + (${this.deltaReceiptVars[i]}[v$i] - ${this.deltaExpenseVars[i]}[v$i])`).join(", ")}
       WHERE ${this.keyAt("t")} AND t.month > d$month[v$i];
    END LOOP;`;
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)})
    UPDATE ${this.totalsTable} t SET ${resources.map((r, i) => `${r} = t.${r} + (d.${receiptColumns[i]} - d.${expenseColumns[i]})`).join(", ")}
      FROM d WHERE ${this.areaKey("t", "d")} AND t.month > d.month;`;
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

  protected negativeJson(): string {
    const pairs = [...this.s.dims.map((d) => `${lit(d.col)}, b.${q(d.col)}`), ...this.s.res.map((r) => `${lit(r.col)}, b.${q(r.col)}::text`)];
    return `jsonb_agg(jsonb_build_object(${pairs.join(", ")}))`;
  }

  /**
   * Balance registers: the fast path when `oneMonthPerKey` holds (then later months shifted),
   * else the general one. Shared by the write functions (ddl.ts) and write_many (ddl-many.ts).
   */
  balanceApply(oneMonthPerKey: string, fast: string, general: string[]): string {
    return `IF ${oneMonthPerKey} THEN
  ${fast}
  IF v$later > 0 THEN
    ${this.shiftLater()}
  END IF;
  ELSE
  ${general.join("\n  ")}
  END IF;`;
  }

  /** Turnover registers: add the month turnovers (every (month, key) is once in the delta). */
  turnoverApply(): string {
    return `WITH u AS (INSERT INTO ${this.totalsTable} AS t (month, ${this.leadingList(this.dimensions)}${this.resources.join(", ")})
             SELECT d.month, ${this.leadingList(this.qualified(this.dimensions, "d."))}${this.qualified(this.receiptColumns, "d.").join(", ")} FROM ${this.unnestDelta("d", true)}
             ON CONFLICT (${["area", ...this.dimensions, "month"].join(", ")}) DO UPDATE SET ${this.resources.map((r) => `${r} = t.${r} + excluded.${r}`).join(", ")}
             RETURNING (${this.allZero(this.resources, "t.")}) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM u;`;
  }

  /** Balance registers, a key in several months of the delta: three statements. */
  generalApply(): string[] {
    const { resources, receiptColumns, expenseColumns, netColumns, dimensions } = this;
    const totCols = resources.flatMap((r, i) => [this.totalsReceiptColumns[i], this.totalsExpenseColumns[i], r]);
    const cum = resources.map((_, i) => `cum$${i + 1}`);
    const part = dimensions.length ? `PARTITION BY ${this.qualified(dimensions, "d.").join(", ")} ` : "";
    return [
      // month rows of the delta get absolute values: turnovers added to the stored month (if
      // any), the balance carried from the key's latest month at or before it plus the delta's
      // cumulative net change up to that month
      `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
  c AS (SELECT d.*, ${resources.map((_, i) => `sum(d.${receiptColumns[i]} - d.${expenseColumns[i]}) OVER (${part}ORDER BY d.month) AS ${cum[i]}`).join(", ")} FROM d),
  src AS (SELECT c.month, ${this.leadingList(this.qualified(dimensions, "c."))}${resources.map((r, i) => `CASE WHEN b.month = c.month THEN b.${this.totalsReceiptColumns[i]} ELSE 0 END + c.${receiptColumns[i]} AS ${this.totalsReceiptColumns[i]}, CASE WHEN b.month = c.month THEN b.${this.totalsExpenseColumns[i]} ELSE 0 END + c.${expenseColumns[i]} AS ${this.totalsExpenseColumns[i]}, coalesce(b.${r}, 0) + c.${cum[i]} AS ${r}`).join(",\n                 ")},
                 ${this.hasLater("c")} AS later
            FROM c LEFT JOIN LATERAL (SELECT t.month, ${this.qualified(totCols, "t.").join(", ")} FROM ${this.totalsTable} t
                                       WHERE ${this.areaKey("t", "c")} AND t.month <= c.month ORDER BY t.month DESC LIMIT 1) b ON true),
  u AS (INSERT INTO ${this.totalsTable} AS t (month, ${this.leadingList(dimensions)}${totCols.join(", ")})
        SELECT month, ${this.leadingList(dimensions)}${totCols.join(", ")} FROM src
        ON CONFLICT (${["area", ...dimensions, "month"].join(", ")}) DO UPDATE SET ${totCols.map((x) => `${x} = excluded.${x}`).join(", ")}
        RETURNING (${this.allZero([...this.totalsReceiptColumns, ...this.totalsExpenseColumns], "t.")}) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM u), (SELECT count(*) FILTER (WHERE later) FROM src) INTO v$zero, v$later;`,
      // later months of those keys, not in the delta, move by the net change before them
      `IF v$later > 0 THEN
    ${this.generalLater()}
  END IF;`,
      // the all-time balance per key
      `WITH s AS (SELECT ${this.leadingList(this.qualified(dimensions, "d."))}${resources.map((_, i) => `sum(d.${receiptColumns[i]} - d.${expenseColumns[i]}) AS ${netColumns[i]}`).join(", ")}
               FROM ${this.unnestDelta("d", true)}${dimensions.length ? " GROUP BY " + this.qualified(dimensions, "d.").join(", ") : ""}),
       b AS (INSERT INTO ${this.balanceTable} AS b (${this.leadingList(dimensions)}${resources.join(", ")})
             SELECT ${this.leadingList(dimensions)}${netColumns.join(", ")} FROM s WHERE ${this.nonzero(netColumns)}
             ON CONFLICT (${["area", ...dimensions].join(", ")}) DO UPDATE SET ${resources.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
             RETURNING ${this.leadingList(this.qualified(dimensions, "b."))}${this.qualified(resources, "b.").join(", ")})
  SELECT count(*) FILTER (WHERE ${this.allZero(resources, "b.")}),
         ${this.negativeJson()} FILTER (WHERE ${resources.map((r, i) => `(b.${r} < 0 AND s.${netColumns[i]} < 0)`).join(" OR ")})
    INTO v$bzero, v$neg
    FROM b JOIN s ON ${this.sameKey("b", "s")};`,
    ];
  }

  /** The later-month shift of the general path: per stored later month, the sum of the nets before it. */
  protected generalLater(): string {
    const { resources, receiptColumns, expenseColumns, netColumns, dimensions } = this;
    const sums = resources.map((_, i) => `sum(d.${receiptColumns[i]} - d.${expenseColumns[i]}) AS ${netColumns[i]}`).join(", ");
    const notDelta = `(${[...this.qualified(dimensions, "x."), "x.month"].join(", ")}) NOT IN (SELECT ${[...this.qualified(dimensions, "y."), "y.month"].join(", ")} FROM d y)`;
    if (!this.staged)
      return `FOR v$r IN
      WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)})
      SELECT ${this.leadingList(this.qualified(dimensions, "x."))}x.month, ${sums}
        FROM d CROSS JOIN LATERAL (SELECT ${this.leadingList(this.qualified(dimensions, "x."))}x.month FROM ${this.totalsTable} x WHERE ${this.areaKey("x", "d")} AND x.month > d.month OFFSET 0) x
       WHERE ${notDelta}
       GROUP BY ${this.leadingList(this.qualified(dimensions, "x."))}x.month
    LOOP
      UPDATE ${this.totalsTable} t SET ${resources.map((r, i) => `${r} = t.${r} + v$r.${netColumns[i]}`).join(", ")}
       WHERE ${[`t.area = v$area`, ...dimensions.map((d) => `t.${d} = v$r.${d}`), "t.month = v$r.month"].join(" AND ")};
    END LOOP;`;
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
    a AS (SELECT ${this.leadingList(this.qualified(dimensions, "x."))}x.month, ${sums}
            FROM d JOIN ${this.totalsTable} x ON ${this.areaKey("x", "d")} AND x.month > d.month
           WHERE ${notDelta}
           GROUP BY ${this.leadingList(this.qualified(dimensions, "x."))}x.month)
    UPDATE ${this.totalsTable} t SET ${resources.map((r, i) => `${r} = t.${r} + a.${netColumns[i]}`).join(", ")}
      FROM a WHERE ${this.areaKey("t", "a")} AND t.month = a.month;`;
  }

  /** Drops month rows left without turnovers and balance rows left at zero (loops or joins, as above). */
  cleanup(): string[] {
    const zeroT = (t: string) => this.allZero(this.isBalance ? [...this.totalsReceiptColumns, ...this.totalsExpenseColumns] : this.resources, `${t}.`);
    const zeroB = (t: string) => this.allZero(this.resources, `${t}.`);
    const totals = this.staged
      ? `DELETE FROM ${this.totalsTable} t USING ${this.unnestDelta("d", false)} WHERE ${this.areaKey("t", "d")} AND t.month = d.month AND ${zeroT("t")};`
      : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.totalsTable} t WHERE ${this.keyAt("t")} AND t.month = d$month[v$i] AND ${zeroT("t")};
    END LOOP;`;
    const out = [`IF v$zero > 0 THEN
    ${totals}
  END IF;`];
    if (this.isBalance) {
      const balance = this.staged
        ? `DELETE FROM ${this.balanceTable} b USING ${this.unnestDelta("d", false)} WHERE ${this.areaKey("b", "d")} AND ${zeroB("b")};`
        : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.balanceTable} b WHERE ${this.keyAt("b")} AND ${zeroB("b")};
    END LOOP;`;
      out.push(`IF v$bzero > 0 THEN
    ${balance}
  END IF;`);
    }
    return out;
  }
}
