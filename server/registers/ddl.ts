/**
 * Server-side SQL of the accumulation registers, re-created by the migrator (storage/migrate.ts)
 * as the owner on every start: per register two plpgsql functions (SECURITY INVOKER, so the
 * row-level security of the data area keeps applying) that post.ts calls —
 *   acc_<r>__write(recorder, kind, check, rows jsonb)   one round trip for a small record set;
 *   acc_<r>__write_staged(recorder, kind, check)         the same from pg_temp.acc_<r>__in, which
 *                                                        post.ts fills with COPY for large sets.
 * Each deletes the recorder's previous movements and inserts the new ones, aggregates the
 * difference per (dimensions, month), locks the touched keys (see post.ts for the scheme),
 * applies the difference to the totals and the balance, drops rows left all-zero and, when
 * asked, refuses a key whose balance went down below zero (SQLSTATE ZR001, keys in DETAIL).
 * Signatures never change with the metadata, so CREATE OR REPLACE always works; functions of
 * registers removed from the configuration are dropped (they carry a marker comment).
 */
import type { Configuration } from "../metadata/types.ts";
import { APP_ROLE } from "../storage/db.ts";
import { catalogTable, documentTable, q } from "../storage/naming.ts";
import { NEGATIVE_SQLSTATE } from "./errors.ts";
import { accShape, type AccShape } from "./shape.ts";

/** More distinct keys than this in one record set: lock the totals tables instead of each key. */
export const KEY_LOCK_LIMIT = 1000;
const MARKER = "register engine function";

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `a.x = b.x AND …` over the dimension columns ("true" for a register without dimensions). */
function keyEq(s: AccShape, a: string, b: string): string {
  return s.dims.map((d) => `${a}.${q(d.col)} = ${b}.${q(d.col)}`).join(" AND ") || "true";
}

const dimList = (s: AccShape, alias = "") => s.dims.map((d) => `${alias}${q(d.col)}`);
const withComma = (xs: string[]) => xs.map((x) => x + ", ").join("");

/** The record set as rows (line, period, record_kind, dims, resources, attributes). */
function source(s: AccShape, staged: boolean): string {
  if (staged) return `pg_temp.${q(s.staging)} s`;
  const fields = [...s.dims, ...s.res, ...s.attrs];
  const cols = fields.map((f, i) => `(e.r->>${i + 2})::${f.baseType} AS ${q(f.col)}`);
  return `(SELECT e.line::integer AS line, (e.r->>0)::timestamp AS period, (e.r->>1)::smallint AS record_kind, ${cols.join(", ")}
            FROM jsonb_array_elements(p$rows) WITH ORDINALITY AS e(r, line)) s`;
}

/** Presentation of a reference dimension for the negative-balance message (catalog name, document number). */
function presentation(conf: Configuration, s: AccShape): string {
  const parts: string[] = [];
  for (const d of s.dims) {
    const t = d.f.type;
    if (t.kind !== "ref" || t.target === "enum") continue;
    const key = `(e->>${lit(d.col)})::uuid`;
    const expr =
      t.target === "catalog" && conf.catalogs.has(t.name)
        ? `(SELECT c.name FROM ${q(catalogTable(t.name))} c WHERE c.id = ${key})`
        : t.target === "document" && conf.documents.has(t.name)
          ? `(SELECT ${lit((conf.documents.get(t.name)!.synonym || t.name) + " № ")} || c.number || ' от ' || to_char(c.date, 'DD.MM.YYYY') FROM ${q(documentTable(t.name))} c WHERE c.id = ${key})`
          : null;
    if (expr) parts.push(`${lit(d.col + "__name")}, ${expr}`);
  }
  return parts.length ? `jsonb_build_object(${parts.join(", ")})` : `'{}'::jsonb`;
}

function writeFunction(conf: Configuration, s: AccShape, staged: boolean): string {
  const T = q(s.table), TT = q(s.totals), TB = q(s.balance);
  const D = dimList(s);
  const R = s.res.map((r) => q(r.col));
  const A = s.attrs.map((a) => q(a.col));
  const bal = s.isBalance;
  const dv = s.dims.map((_, i) => `d$k${i + 1}`); // delta arrays: dimensions
  const rv = s.res.map((_, i) => `d$r${i + 1}`); // receipts (balance) or turnovers
  const ev = s.res.map((_, i) => `d$e${i + 1}`); // expenses (balance)
  const rc = s.res.map((_, i) => `rcpt$${i + 1}`);
  const ec = s.res.map((_, i) => `exp$${i + 1}`);
  const nc = s.res.map((_, i) => `net$${i + 1}`);
  const name = staged ? s.stagedFn : s.writeFn;
  const args = staged ? "p$recorder uuid, p$kind character varying, p$check boolean" : "p$recorder uuid, p$kind character varying, p$check boolean, p$rows jsonb";
  const declare = [
    "v$area integer := nullif(current_setting('app.area', true), '')::integer;",
    "d$month date[];",
    ...s.dims.map((d, i) => `${dv[i]} ${d.baseType}[];`),
    ...rv.map((v) => `${v} numeric[];`),
    ...(bal ? ev.map((v) => `${v} numeric[];`) : []),
    "v$locks integer[];",
    "v$zero bigint;",
    "v$neg jsonb;",
  ];
  const deltaCols = bal ? [...rc, ...ec] : rc;
  const deltaVars = bal ? [...rv, ...ev] : rv;
  const deltaAgg = bal
    ? [
        ...R.map((r, i) => `coalesce(sum(m.${r}) FILTER (WHERE m.record_kind = 1), 0) AS ${rc[i]}`),
        ...R.map((r, i) => `coalesce(sum(m.${r}) FILTER (WHERE m.record_kind = -1), 0) AS ${ec[i]}`),
      ]
    : R.map((r, i) => `sum(m.${r} * m.record_kind) AS ${rc[i]}`);
  const nonzero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} <> 0`).join(" OR ");
  const allZero = (cols: string[], alias = "") => cols.map((c) => `${alias}${c} = 0`).join(" AND ");
  const unnestDelta = (alias: string, withRes: boolean) =>
    `unnest(${["d$month", ...dv, ...(withRes ? deltaVars : [])].join(", ")}) ${alias}(${["month", ...D, ...(withRes ? deltaCols : [])].join(", ")})`;
  const tKey = (t: string, d: string) => `${t}.area = v$area AND ${keyEq(s, t, d)}`;
  const body: string[] = [];
  body.push(`IF v$area IS NULL THEN RAISE EXCEPTION '${name}: app.area is not set'; END IF;`);
  // 1. the recorder's lock, then replace its movements and aggregate the difference
  body.push(`PERFORM pg_advisory_xact_lock(${s.recorderLockClass}, hashtext(v$area::text || ':' || p$recorder::text));`);
  body.push(`WITH old AS (
    DELETE FROM ${T} WHERE area = v$area AND recorder = p$recorder
    RETURNING period, record_kind, ${withComma(D)}${R.map((r) => `-${r} AS ${r}`).join(", ")}
  ), new AS (
    INSERT INTO ${T} (recorder, recorder_kind, line, period, record_kind, ${withComma(D)}${R.join(", ")}${A.length ? ", " + A.join(", ") : ""})
    SELECT p$recorder, p$kind, s.line, s.period, s.record_kind, ${withComma(dimList(s, "s."))}${R.map((r) => `s.${r}`).join(", ")}${A.length ? ", " + A.map((a) => `s.${a}`).join(", ") : ""}
      FROM ${source(s, staged)}
    RETURNING period, record_kind, ${withComma(D)}${R.join(", ")}
  ), d AS (
    SELECT date_trunc('month', m.period)::date AS month, ${withComma(dimList(s, "m."))}${deltaAgg.join(", ")}
      FROM (SELECT * FROM old UNION ALL SELECT * FROM new) m
     GROUP BY 1${D.length ? ", " + dimList(s, "m.").join(", ") : ""}
  )
  SELECT array_agg(month), ${withComma(D.map((d) => `array_agg(${d})`))}${deltaCols.map((c) => `array_agg(${c})`).join(", ")}
    INTO d$month, ${withComma(dv)}${deltaVars.join(", ")}
    FROM d WHERE ${nonzero(deltaCols)};`);
  body.push(`IF d$month IS NULL THEN RETURN; END IF;`);
  // 2. lock the touched keys in one global order, or the whole totals for a very large set
  body.push(`SELECT array_agg(h ORDER BY h) INTO v$locks
    FROM (SELECT DISTINCT hashtext(concat_ws(chr(31), ${["v$area", ...D.map((d) => `u.${d}`)].join(", ")})) AS h FROM ${unnestDelta("u", false)}) k;`);
  body.push(`IF cardinality(v$locks) > ${KEY_LOCK_LIMIT} THEN
    LOCK TABLE ${TT}${bal ? ", " + TB : ""} IN SHARE ROW EXCLUSIVE MODE;
  ELSE
    PERFORM pg_advisory_xact_lock(${s.keyLockClass}, h) FROM unnest(v$locks) h;
  END IF;`);
  if (bal) {
    const rcol = s.res.map((r) => q(r.col + "_receipt"));
    const ecol = s.res.map((r) => q(r.col + "_expense"));
    // 3. months new to a key start from the cumulative balance of its latest earlier month
    body.push(`INSERT INTO ${TT} (month, ${withComma(D)}${R.join(", ")})
  SELECT d.month, ${withComma(dimList(s, "d."))}${R.map((r) => `coalesce(p.${r}, 0)`).join(", ")}
    FROM ${unnestDelta("d", false)}
    LEFT JOIN LATERAL (SELECT ${R.map((r) => `t.${r}`).join(", ")} FROM ${TT} t
                        WHERE ${tKey("t", "d")} AND t.month < d.month ORDER BY t.month DESC LIMIT 1) p ON true
   WHERE NOT EXISTS (SELECT 1 FROM ${TT} t WHERE ${tKey("t", "d")} AND t.month = d.month);`);
    // 4. turnovers to their month, the net change to the balance of that and every later month
    body.push(`WITH d AS (SELECT * FROM ${unnestDelta("d", true)}),
  a AS (SELECT ${withComma(dimList(s, "t."))}t.month,
               ${R.map((_, i) => `coalesce(sum(d.${rc[i]}) FILTER (WHERE d.month = t.month), 0) AS ${rc[i]}, coalesce(sum(d.${ec[i]}) FILTER (WHERE d.month = t.month), 0) AS ${ec[i]}, sum(d.${rc[i]} - d.${ec[i]}) AS ${nc[i]}`).join(",\n               ")}
          FROM d JOIN ${TT} t ON ${tKey("t", "d")} AND t.month >= d.month
         GROUP BY ${withComma(dimList(s, "t."))}t.month),
  u AS (UPDATE ${TT} t SET ${R.map((r, i) => `${rcol[i]} = t.${rcol[i]} + a.${rc[i]}, ${ecol[i]} = t.${ecol[i]} + a.${ec[i]}, ${r} = t.${r} + a.${nc[i]}`).join(", ")}
          FROM a WHERE ${tKey("t", "a")} AND t.month = a.month
        RETURNING (${allZero([...rcol, ...ecol], "t.")}) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM u;`);
    body.push(`IF v$zero > 0 THEN
    DELETE FROM ${TT} t USING ${unnestDelta("d", false)}
     WHERE ${tKey("t", "d")} AND t.month = d.month AND ${allZero([...rcol, ...ecol], "t.")};
  END IF;`);
    // 5. the all-time balance; keys whose resource went down and below zero are refused
    const negCond = R.map((r, i) => `(b.${r} < 0 AND s.${nc[i]} < 0)`).join(" OR ");
    body.push(`WITH s AS (SELECT ${withComma(dimList(s, "d."))}${R.map((_, i) => `sum(d.${rc[i]} - d.${ec[i]}) AS ${nc[i]}`).join(", ")}
               FROM ${unnestDelta("d", true)}${D.length ? " GROUP BY " + dimList(s, "d.").join(", ") : ""}),
       b AS (INSERT INTO ${TB} AS b (${withComma(D)}${R.join(", ")})
             SELECT ${withComma(D)}${nc.join(", ")} FROM s WHERE ${nonzero(nc)}
             ON CONFLICT (${["area", ...D].join(", ")}) DO UPDATE SET ${R.map((r) => `${r} = b.${r} + excluded.${r}`).join(", ")}
             RETURNING ${withComma(dimList(s, "b."))}${R.map((r) => `b.${r}`).join(", ")})
  SELECT count(*) FILTER (WHERE ${allZero(R, "b.")}),
         jsonb_agg(jsonb_build_object(${[...s.dims.map((d) => `${lit(d.col)}, b.${q(d.col)}`), ...s.res.map((r) => `${lit(r.col)}, b.${q(r.col)}::text`)].join(", ")})) FILTER (WHERE ${negCond})
    INTO v$zero, v$neg
    FROM b JOIN s ON ${keyEq(s, "b", "s")};`);
    body.push(`IF v$zero > 0 THEN
    DELETE FROM ${TB} b USING ${unnestDelta("d", false)} WHERE ${tKey("b", "d")} AND ${allZero(R, "b.")};
  END IF;`);
    body.push(`IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(e || ${presentation(conf, s)}) INTO v$neg FROM jsonb_array_elements(v$neg) e;
    RAISE EXCEPTION USING ERRCODE = '${NEGATIVE_SQLSTATE}', MESSAGE = '${s.table}: negative balance', DETAIL = v$neg::text;
  END IF;`);
  } else {
    // 3. turnover register: add the month turnovers, drop rows left all-zero
    body.push(`WITH u AS (INSERT INTO ${TT} AS t (month, ${withComma(D)}${R.join(", ")})
             SELECT * FROM ${unnestDelta("d", true)}
             ON CONFLICT (area, ${withComma(D)}month) DO UPDATE SET ${R.map((r) => `${r} = t.${r} + excluded.${r}`).join(", ")}
             RETURNING (${allZero(R, "t.")}) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM u;`);
    body.push(`IF v$zero > 0 THEN
    DELETE FROM ${TT} t USING ${unnestDelta("d", false)} WHERE ${tKey("t", "d")} AND t.month = d.month AND ${allZero(R, "t.")};
  END IF;`);
  }
  return `CREATE OR REPLACE FUNCTION ${q(name)}(${args}) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $fn$
DECLARE
  ${declare.join("\n  ")}
BEGIN
  ${body.join("\n  ")}
END
$fn$;
COMMENT ON FUNCTION ${q(name)}(${args.replace(/p\$\w+ /g, "")}) IS ${lit(MARKER)};
GRANT EXECUTE ON FUNCTION ${q(name)}(${args.replace(/p\$\w+ /g, "")}) TO ${q(APP_ROLE)};`;
}

/** Drops engine functions whose register left the configuration (or whose name changed). */
function dropOrphans(keep: string[]): string {
  return `DO $$DECLARE f regprocedure; BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema() AND obj_description(p.oid, 'pg_proc') = ${lit(MARKER)}
              AND NOT (p.proname = ANY (ARRAY[${keep.map(lit).join(", ") || "''"}]::text[]))
  LOOP EXECUTE 'DROP FUNCTION ' || f::text; END LOOP;
END$$;`;
}

export function registerFunctionsSql(conf: Configuration): string {
  const out: string[] = [];
  const keep: string[] = [];
  for (const reg of conf.accumulationRegisters.values()) {
    const s = accShape(reg);
    keep.push(s.writeFn, s.stagedFn);
    out.push(writeFunction(conf, s, false), writeFunction(conf, s, true));
  }
  return [dropOrphans(keep), ...out].join("\n\n");
}
