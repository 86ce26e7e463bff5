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
  readonly T: string;
  readonly TT: string;
  readonly TB: string;
  readonly D: string[];
  readonly R: string[];
  readonly A: string[];
  readonly bal: boolean;
  /** plpgsql arrays of the delta: dimensions, receipts (or turnovers), expenses. */
  readonly dv: string[];
  readonly rv: string[];
  readonly ev: string[];
  /** Column names of the delta rows. */
  readonly rc: string[];
  readonly ec: string[];
  readonly nc: string[];
  readonly rcol: string[];
  readonly ecol: string[];

  /** staged: the large-set function (custom plans, hash joins); else the small one (nested loops). */
  constructor(readonly s: AccShape, readonly staged = false) {
    this.T = q(s.table);
    this.TT = q(s.totals);
    this.TB = q(s.balance);
    this.D = s.dims.map((d) => q(d.col));
    this.R = s.res.map((r) => q(r.col));
    this.A = s.attrs.map((a) => q(a.col));
    this.bal = s.isBalance;
    this.dv = s.dims.map((_, i) => `d$k${i + 1}`);
    this.rv = s.res.map((_, i) => `d$r${i + 1}`);
    this.ev = s.res.map((_, i) => `d$e${i + 1}`);
    this.rc = s.res.map((_, i) => `rcpt$${i + 1}`);
    this.ec = s.res.map((_, i) => `exp$${i + 1}`);
    this.nc = s.res.map((_, i) => `net$${i + 1}`);
    this.rcol = s.res.map((r) => q(r.col + "_receipt"));
    this.ecol = s.res.map((r) => q(r.col + "_expense"));
  }

  /** Delta columns / variables: receipts and expenses, or turnovers only. */
  get deltaCols(): string[] {
    return this.bal ? [...this.rc, ...this.ec] : this.rc;
  }
  get deltaVars(): string[] {
    return this.bal ? [...this.rv, ...this.ev] : this.rv;
  }
  /** The same for the old record set's aggregate (o$ arrays). */
  get oldVars(): string[] {
    return ["o$month", ...this.dv.map((v) => v.replace("d$", "o$")), ...this.deltaVars.map((v) => v.replace("d$", "o$"))];
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

  list = (xs: string[], alias = "") => xs.map((x) => alias + x);
  pre = (xs: string[]) => xs.map((x) => x + ", ").join("");
  keyEq = (a: string, b: string) => this.D.map((d) => `${a}.${d} = ${b}.${d}`).join(" AND ") || "true";
  tKey = (t: string, d: string) => `${t}.area = v$area AND ${this.keyEq(t, d)}`;
  nonzero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} <> 0`).join(" OR ");
  allZero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} = 0`).join(" AND ");
  hash = (alias = "") => `hashtext(concat_ws(chr(31), ${["v$area", ...this.list(this.D, alias)].join(", ")}))`;

  unnestDelta(alias: string, withRes: boolean): string {
    // The staged function keeps its delta in a temporary table of the same columns.
    if (this.staged) return `pg_temp.${q(this.s.stagedDelta)} ${alias}`;
    const arrays = ["d$month", ...this.dv, ...(withRes ? this.deltaVars : [])];
    const names = ["month", ...this.D, ...(withRes ? this.deltaCols : [])];
    return `unnest(${arrays.join(", ")}) ${alias}(${names.join(", ")})`;
  }

  /** Aggregates per (month, key) of movement rows `m` (period, record_kind, dims, resources). */
  protected sums(m: string, sign = ""): string[] {
    return this.bal
      ? [
          ...this.R.map((r, i) => `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = 1), 0) AS ${this.rc[i]}`),
          ...this.R.map((r, i) => `${sign}coalesce(sum(${m}.${r}) FILTER (WHERE ${m}.record_kind = -1), 0) AS ${this.ec[i]}`),
        ]
      : this.R.map((r, i) => `${sign}sum(${m}.${r} * ${m}.record_kind) AS ${this.rc[i]}`);
  }

  /** The old set's movements grouped per (month, key), from the DELETE … RETURNING `old`. */
  protected oldGrouped(): string {
    return `SELECT date_trunc('month', m.period)::date AS month, ${this.pre(this.list(this.D, "m."))}${this.sums("m").join(", ")}
            FROM old m GROUP BY 1${this.D.length ? ", " + this.list(this.D, "m.").join(", ") : ""}`;
  }
  /** Lines of the recorder, read through the primary key (the ORDER BY makes it the only fit). */
  oldLines(): string {
    return `SELECT line FROM ${this.T} WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line`;
  }
  protected deleteCte(): string {
    // The lines come from oldLines(), so the DELETE matches the whole primary key: with a bare
    // "area = … AND recorder = …", a plan made on nearly empty statistics may scan the data area
    // through the (area, dims…, period) index — and a generic plan keeps that choice.
    return `old AS (DELETE FROM ${this.T} WHERE area = v$area AND recorder = p$recorder AND line = ANY (ARRAY(${this.oldLines()}))
                    RETURNING period, record_kind, ${this.pre(this.D)}${this.R.join(", ")})`;
  }
  protected aggOld(): string {
    return ["month", ...this.D, ...this.deltaCols].map((c) => `array_agg(${c})`).join(", ");
  }

  /**
   * The jsonb path. A first posting (the recorder has no movements — one probe of the primary
   * key) inserts the rows and reads the delta sent by post.ts into d$, in one statement. A
   * repost also deletes the old movements, aggregated into the o$ arrays, in the same statement;
   * the INSERT's condition waits for the DELETE, so a line the recorder keeps is no key conflict.
   */
  replaceFromJson(): string {
    const into = `d$month, ${this.pre(this.dv)}${this.deltaVars.join(", ")}, v$locks`;
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
    const cols = ["recorder", "recorder_kind", "line", "period", "record_kind", ...this.D, ...this.R, ...this.A];
    const fields = [...this.s.dims, ...this.s.res, ...this.s.attrs];
    const values = staged
      ? ["p$recorder", "p$kind", "s.line", "s.period", "s.record_kind", ...fields.map((f) => `s.${q(f.col)}`)]
      : ["p$recorder", "p$kind", "e.line", "(e.r->>0)::timestamp", "(e.r->>1)::smallint", ...fields.map((f, i) => `(e.r->>${i + 2})::${f.baseType}`)];
    const from = staged ? `pg_temp.${q(this.s.staging)} s` : `jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS e(r, line)`;
    return `INSERT INTO ${this.T} (${cols.join(", ")})
  SELECT ${values.join(", ")} FROM ${from};`;
  }

  /** The new set's delta rows: from the jsonb `delta` (aggregated by post.ts) or the staging table. */
  protected newDelta(staged: boolean): string {
    if (staged)
      return `SELECT date_trunc('month', s.period)::date AS month, ${this.pre(this.list(this.D, "s."))}${this.sums("s").join(", ")}
                FROM pg_temp.${q(this.s.staging)} s GROUP BY 1${this.D.length ? ", " + this.list(this.D, "s.").join(", ") : ""}`;
    const types = this.s.dims.map((d) => d.baseType);
    return `SELECT (x->>0)::date AS month, ${this.pre(this.D.map((d, i) => `(x->>${i + 1})::${types[i]} AS ${d}`))}${this.deltaCols.map((c, i) => `(x->>${i + 1 + this.D.length})::numeric AS ${c}`).join(", ")}
                FROM jsonb_array_elements(p$rows->'delta') x`;
  }

  protected intoDelta(): string {
    return `INTO d$month, ${this.pre(this.dv)}${this.deltaVars.join(", ")}, v$locks`;
  }
  protected aggDelta(): string {
    return `array_agg(month), ${this.pre(this.D.map((d) => `array_agg(${d})`))}${this.deltaCols.map((c) => `array_agg(${c})`).join(", ")}, array_agg(DISTINCT ${this.hash()} ORDER BY ${this.hash()})`;
  }

  /** A repost: the old set (o$ arrays) merged into the delta read by replaceFromJson (d$ arrays, v$locks). */
  delta(): string {
    const merge = `SELECT ${this.aggDelta()}
    ${this.intoDelta()}
    FROM (SELECT month, ${this.pre(this.D)}${this.deltaCols.map((c) => `sum(${c}) AS ${c}`).join(", ")}
            FROM (${this.newDelta(false)}
                  UNION ALL
                  SELECT o.month, ${this.pre(this.list(this.D, "o."))}${this.deltaCols.map((c) => `-o.${c}`).join(", ")}
                    FROM unnest(${this.oldVars.join(", ")}) o(month, ${this.pre(this.D)}${this.deltaCols.join(", ")})) u
           GROUP BY month${this.D.length ? ", " + this.D.join(", ") : ""}) g
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
    const { R, rc, ec } = this;
    if (!this.bal) return this.turnoverApply();
    const neg = R.map((r, i) => `(b.${r} < 0 AND d.${rc[i]} < d.${ec[i]})`).join(" OR ");
    const moves = R.map((_, i) => `d.${rc[i]} <> d.${ec[i]}`).join(" OR ");
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
  ${this.probeCte()},
  tot AS (${this.totalsUpsert()}),
  bal AS (INSERT INTO ${this.TB} AS b (${this.pre(this.D)}${R.join(", ")})
          SELECT ${this.pre(this.list(this.D, "d."))}${R.map((_, i) => `d.${rc[i]} - d.${ec[i]}`).join(", ")} FROM d WHERE ${moves}
          ON CONFLICT (${["area", ...this.D].join(", ")}) DO UPDATE SET ${R.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
          RETURNING ${this.pre(this.list(this.D, "b."))}${this.list(R, "b.").join(", ")})
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM tot),
         (SELECT count(*) FROM dz d WHERE (${moves}) AND d.last$ > d.month),
         count(*) FILTER (WHERE ${this.allZero(R, "b.")}), ${this.negativeJson()} FILTER (WHERE ${neg})
    INTO v$zero, v$later, v$bzero, v$neg
    FROM bal b JOIN d ON ${this.keyEq("b", "d")};`;
  }

  /** The month row columns of balance registers: receipts, expenses and balance per resource. */
  get totCols(): string[] {
    return this.R.flatMap((r, i) => [this.rcol[i], this.ecol[i], r]);
  }

  /**
   * `dz`: the delta rows `d` (fast path: one month per key) with, per row, one probe for the
   * key's latest stored month z: before the delta month it is the balance to carry, equal it
   * means the row exists (relative update), after it means later months exist — only then a
   * second probe (gated by that condition) finds the month to carry. last$ = z's month (null:
   * the key has no totals at all), base$i = the balance to build on.
   */
  probeCte(): string {
    const R = this.R;
    const base = R.map((r, i) => `CASE WHEN z.month < d.month THEN z.${r} WHEN z.month > d.month THEN y.${r} END AS base$${i + 1}`);
    return `dz AS (SELECT d.*, z.month AS last$, ${base.join(", ")}
           FROM d LEFT JOIN LATERAL (SELECT p.month, ${this.list(R, "p.").join(", ")} FROM ${this.TT} p
                                      WHERE ${this.tKey("p", "d")} ORDER BY p.month DESC LIMIT 1) z ON true
                  LEFT JOIN LATERAL (SELECT ${this.list(R, "p.").join(", ")} FROM ${this.TT} p
                                      WHERE z.month > d.month AND ${this.tKey("p", "d")} AND p.month < d.month ORDER BY p.month DESC LIMIT 1) y ON true)`;
  }

  /** The month rows of `dz` rows as they are inserted: month, key, receipts, expenses, balance. */
  totalsValues(): string {
    const { R, rc, ec } = this;
    return `d.month, ${this.pre(this.list(this.D, "d."))}${R.map((_r, i) => `d.${rc[i]}, d.${ec[i]}, coalesce(d.base$${i + 1}, 0) + d.${rc[i]} - d.${ec[i]}`).join(", ")}`;
  }

  /** The month rows of `dz` (those matching `where`) added to the stored ones; RETURNING zero: the row has no turnovers left. */
  totalsUpsert(where = ""): string {
    const R = this.R;
    return `INSERT INTO ${this.TT} AS t (month, ${this.pre(this.D)}${this.totCols.join(", ")})
          SELECT ${this.totalsValues()} FROM dz d${where ? ` WHERE ${where}` : ""}
          ON CONFLICT (${["area", ...this.D, "month"].join(", ")}) DO UPDATE SET
             ${R.map((r, i) => `${this.rcol[i]} = t.${this.rcol[i]} + excluded.${this.rcol[i]}, ${this.ecol[i]} = t.${this.ecol[i]} + excluded.${this.ecol[i]}, ${r} = t.${r} + excluded.${this.rcol[i]} - excluded.${this.ecol[i]}`).join(",\n             ")}
          RETURNING (${this.allZero([...this.rcol, ...this.ecol], "t.")}) AS zero`;
  }

  /**
   * Does the key of delta row `d` have a stored month after d.month? A scalar subquery, not
   * EXISTS: the planner would turn EXISTS into a join and might then scan the data area.
   */
  protected hasLater(d: string): string {
    return `(SELECT true FROM ${this.TT} l WHERE ${this.tKey("l", d)} AND l.month > ${d}.month LIMIT 1) IS NOT NULL`;
  }

  /** Conditions "column = d$array[v$i]" of a per-row statement in the small function. */
  protected keyAt(t: string): string {
    return [`${t}.area = v$area`, ...this.D.map((d, i) => `${t}.${d} = ${this.dv[i]}[v$i]`)].join(" AND ");
  }

  /**
   * Later months of the delta's keys (fast path: one delta month per key) move by its net
   * change. Small function: a loop of single-key UPDATEs, each an index probe however the
   * statistics look; staged: one hash join.
   */
  shiftLater(): string {
    const { R, rc, ec } = this;
    if (!this.staged)
      return `FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE ${this.TT} t SET ${R.map((r, i) => `${r} = t.${r} + (${this.rv[i]}[v$i] - ${this.ev[i]}[v$i])`).join(", ")}
       WHERE ${this.keyAt("t")} AND t.month > d$month[v$i];
    END LOOP;`;
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)})
    UPDATE ${this.TT} t SET ${R.map((r, i) => `${r} = t.${r} + (d.${rc[i]} - d.${ec[i]})`).join(", ")}
      FROM d WHERE ${this.tKey("t", "d")} AND t.month > d.month;`;
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
    return `WITH u AS (INSERT INTO ${this.TT} AS t (month, ${this.pre(this.D)}${this.R.join(", ")})
             SELECT d.month, ${this.pre(this.list(this.D, "d."))}${this.list(this.rc, "d.").join(", ")} FROM ${this.unnestDelta("d", true)}
             ON CONFLICT (${["area", ...this.D, "month"].join(", ")}) DO UPDATE SET ${this.R.map((r) => `${r} = t.${r} + excluded.${r}`).join(", ")}
             RETURNING (${this.allZero(this.R, "t.")}) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM u;`;
  }

  /** Balance registers, a key in several months of the delta: three statements. */
  generalApply(): string[] {
    const { R, rc, ec, nc, D } = this;
    const totCols = R.flatMap((r, i) => [this.rcol[i], this.ecol[i], r]);
    const cum = R.map((_, i) => `cum$${i + 1}`);
    const part = D.length ? `PARTITION BY ${this.list(D, "d.").join(", ")} ` : "";
    return [
      // month rows of the delta get absolute values: turnovers added to the stored month (if
      // any), the balance carried from the key's latest month at or before it plus the delta's
      // cumulative net change up to that month
      `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
  c AS (SELECT d.*, ${R.map((_, i) => `sum(d.${rc[i]} - d.${ec[i]}) OVER (${part}ORDER BY d.month) AS ${cum[i]}`).join(", ")} FROM d),
  src AS (SELECT c.month, ${this.pre(this.list(D, "c."))}${R.map((r, i) => `CASE WHEN b.month = c.month THEN b.${this.rcol[i]} ELSE 0 END + c.${rc[i]} AS ${this.rcol[i]}, CASE WHEN b.month = c.month THEN b.${this.ecol[i]} ELSE 0 END + c.${ec[i]} AS ${this.ecol[i]}, coalesce(b.${r}, 0) + c.${cum[i]} AS ${r}`).join(",\n                 ")},
                 ${this.hasLater("c")} AS later
            FROM c LEFT JOIN LATERAL (SELECT t.month, ${this.list(totCols, "t.").join(", ")} FROM ${this.TT} t
                                       WHERE ${this.tKey("t", "c")} AND t.month <= c.month ORDER BY t.month DESC LIMIT 1) b ON true),
  u AS (INSERT INTO ${this.TT} AS t (month, ${this.pre(D)}${totCols.join(", ")})
        SELECT month, ${this.pre(D)}${totCols.join(", ")} FROM src
        ON CONFLICT (${["area", ...D, "month"].join(", ")}) DO UPDATE SET ${totCols.map((x) => `${x} = excluded.${x}`).join(", ")}
        RETURNING (${this.allZero([...this.rcol, ...this.ecol], "t.")}) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM u), (SELECT count(*) FILTER (WHERE later) FROM src) INTO v$zero, v$later;`,
      // later months of those keys, not in the delta, move by the net change before them
      `IF v$later > 0 THEN
    ${this.generalLater()}
  END IF;`,
      // the all-time balance per key
      `WITH s AS (SELECT ${this.pre(this.list(D, "d."))}${R.map((_, i) => `sum(d.${rc[i]} - d.${ec[i]}) AS ${nc[i]}`).join(", ")}
               FROM ${this.unnestDelta("d", true)}${D.length ? " GROUP BY " + this.list(D, "d.").join(", ") : ""}),
       b AS (INSERT INTO ${this.TB} AS b (${this.pre(D)}${R.join(", ")})
             SELECT ${this.pre(D)}${nc.join(", ")} FROM s WHERE ${this.nonzero(nc)}
             ON CONFLICT (${["area", ...D].join(", ")}) DO UPDATE SET ${R.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
             RETURNING ${this.pre(this.list(D, "b."))}${this.list(R, "b.").join(", ")})
  SELECT count(*) FILTER (WHERE ${this.allZero(R, "b.")}),
         ${this.negativeJson()} FILTER (WHERE ${R.map((r, i) => `(b.${r} < 0 AND s.${nc[i]} < 0)`).join(" OR ")})
    INTO v$bzero, v$neg
    FROM b JOIN s ON ${this.keyEq("b", "s")};`,
    ];
  }

  /** The later-month shift of the general path: per stored later month, the sum of the nets before it. */
  protected generalLater(): string {
    const { R, rc, ec, nc, D } = this;
    const sums = R.map((_, i) => `sum(d.${rc[i]} - d.${ec[i]}) AS ${nc[i]}`).join(", ");
    const notDelta = `(${[...this.list(D, "x."), "x.month"].join(", ")}) NOT IN (SELECT ${[...this.list(D, "y."), "y.month"].join(", ")} FROM d y)`;
    if (!this.staged)
      return `FOR v$r IN
      WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)})
      SELECT ${this.pre(this.list(D, "x."))}x.month, ${sums}
        FROM d CROSS JOIN LATERAL (SELECT ${this.pre(this.list(D, "x."))}x.month FROM ${this.TT} x WHERE ${this.tKey("x", "d")} AND x.month > d.month OFFSET 0) x
       WHERE ${notDelta}
       GROUP BY ${this.pre(this.list(D, "x."))}x.month
    LOOP
      UPDATE ${this.TT} t SET ${R.map((r, i) => `${r} = t.${r} + v$r.${nc[i]}`).join(", ")}
       WHERE ${[`t.area = v$area`, ...D.map((d) => `t.${d} = v$r.${d}`), "t.month = v$r.month"].join(" AND ")};
    END LOOP;`;
    return `WITH d AS (SELECT * FROM ${this.unnestDelta("d", true)}),
    a AS (SELECT ${this.pre(this.list(D, "x."))}x.month, ${sums}
            FROM d JOIN ${this.TT} x ON ${this.tKey("x", "d")} AND x.month > d.month
           WHERE ${notDelta}
           GROUP BY ${this.pre(this.list(D, "x."))}x.month)
    UPDATE ${this.TT} t SET ${R.map((r, i) => `${r} = t.${r} + a.${nc[i]}`).join(", ")}
      FROM a WHERE ${this.tKey("t", "a")} AND t.month = a.month;`;
  }

  /** Drops month rows left without turnovers and balance rows left at zero (loops or joins, as above). */
  cleanup(): string[] {
    const zeroT = (t: string) => this.allZero(this.bal ? [...this.rcol, ...this.ecol] : this.R, `${t}.`);
    const zeroB = (t: string) => this.allZero(this.R, `${t}.`);
    const totals = this.staged
      ? `DELETE FROM ${this.TT} t USING ${this.unnestDelta("d", false)} WHERE ${this.tKey("t", "d")} AND t.month = d.month AND ${zeroT("t")};`
      : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.TT} t WHERE ${this.keyAt("t")} AND t.month = d$month[v$i] AND ${zeroT("t")};
    END LOOP;`;
    const out = [`IF v$zero > 0 THEN
    ${totals}
  END IF;`];
    if (this.bal) {
      const balance = this.staged
        ? `DELETE FROM ${this.TB} b USING ${this.unnestDelta("d", false)} WHERE ${this.tKey("b", "d")} AND ${zeroB("b")};`
        : `FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM ${this.TB} b WHERE ${this.keyAt("b")} AND ${zeroB("b")};
    END LOOP;`;
      out.push(`IF v$bzero > 0 THEN
    ${balance}
  END IF;`);
    }
    return out;
  }
}
