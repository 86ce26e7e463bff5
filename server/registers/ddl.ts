/**
 * Server-side SQL of the accumulation registers, re-created by the migrator (storage/migrate.ts)
 * as the owner on every start. Per register two plpgsql functions (SECURITY INVOKER, so the
 * row-level security of the data area keeps applying) that post.ts calls, both built here by
 * writeFunction from the same named helpers (ddl-sql.ts), which differ only in where the new
 * records come from:
 *   acc_<r>__write(recorder, kind, check, {rows, delta} jsonb)   a small record set, passed as a
 *                                         jsonb array (delta: the rows aggregated by post.ts) —
 *                                         one round trip;
 *   acc_<r>__write_staged(recorder, kind, check)   a large set, which staged.ts COPYs into the
 *                                         staging table pg_temp.acc_<r>__in first.
 * Each deletes the recorder's previous movements and inserts the new ones, computes the
 * difference per (dimensions, month), locks the touched keys (see post.ts for the scheme),
 * applies the difference to the totals and the balance, drops rows left all-zero and, when
 * asked, refuses a key whose balance went down below zero (SQLSTATE ZR001, keys in DETAIL).
 * Read writeFunction to follow a posting step by step, ddl-sql.ts for each statement; the
 * generated SQL of the warehouse fixture is in tests/snapshots/registers/.
 * Signatures never change with the metadata, so CREATE OR REPLACE always works; functions of
 * registers removed from the configuration are dropped (they carry a marker comment).
 */
import type { Configuration } from "../metadata/types.ts";
import { catalogPresentationSql } from "../storage/objects.ts";
import { APP_ROLE } from "../storage/db.ts";
import { catalogTable, documentTable, q } from "../storage/naming.ts";
import { indexName } from "../storage/columns.ts";
import { NEGATIVE_SQLSTATE } from "./errors.ts";
import { accShape, hash32, type AccShape } from "./shape.ts";
import { lit, RegisterSql, type RecordSource } from "./ddl-sql.ts";
import { COPY_THRESHOLD } from "./post.ts";
import { accumulationStorages } from "../metadata/accounting.ts";

/** More distinct keys than this in one record set: lock the register's data area instead of each key. */
export const KEY_LOCK_LIMIT = 1000;
const MARKER = "register engine";

/** Presentation of a reference dimension for the negative-balance message (catalog name, document number). */
function presentation(conf: Configuration, s: AccShape): string {
  const parts: string[] = [];
  for (const d of s.dims) {
    const t = d.f.type;
    if (t.kind !== "ref" || t.target === "enum") continue;
    const key = `(refused_key->>${lit(d.col)})::uuid`;
    const expr =
      t.target === "catalog" && conf.catalogs.has(t.name)
        ? `(SELECT ${catalogPresentationSql(conf.catalogs.get(t.name)!, "referenced")} FROM ${q(catalogTable(t.name))} referenced WHERE referenced.id = ${key})`
        : t.target === "document" && conf.documents.has(t.name)
          ? `(SELECT ${lit((conf.documents.get(t.name)!.synonym || t.name) + " № ")} || referenced.number || ' от ' || to_char(referenced.date, 'DD.MM.YYYY') FROM ${q(documentTable(t.name))} referenced WHERE referenced.id = ${key})`
          : null;
    if (expr) parts.push(`${lit(d.col + "__name")}, ${expr}`);
  }
  return parts.length ? `jsonb_build_object(${parts.join(", ")})` : `'{}'::jsonb`;
}

/**
 * Planner settings of the posting functions. The aim: plans that do not depend on statistics,
 * which are nearly empty in a new database and stale while it grows — and a generic plan keeps
 * what it chose. Every lookup is by key; the array function joins only by nested loops of index
 * probes (LATERAL or per-row statements where a join could be turned around); the staged one
 * joins large sets by hashing (a nested loop over a wrongly "tiny" table would be quadratic).
 * Measured by bench/register-settings.ts (each setting removed alone, on analyzed tables, so what
 * they protect against — plans made on wrong statistics — is not in these figures; the machine
 * varies by ±10–30% between runs). Array ("small"): 1,500 postings of 5 movements + 500 reposts,
 * 2.68 s as generated. Staging: post, repost, unpost of 60,000 movements, 1.27 / 2.34 / 1.94 s.
 */
function plannerSettings(from: RecordSource): string[] {
  const both = [
    // small: 3.06 s without (5.45 against 3.42 s in a run under load); staged: no difference
    "enable_seqscan = off",
    // small 2.76 s, staged 1.19 / 2.38 / 2.01 s without: no difference — kept so that no plan
    // made on wrong statistics turns a key lookup into a scan of the data area
    "enable_bitmapscan = off",
  ];
  if (from === "array")
    return [
      ...both,
      // without: 2.99 s
      "enable_hashjoin = off",
      // without: 2.76 s, no difference — kept with enable_hashjoin: nested loops only
      "enable_mergejoin = off",
      // Generic plans: the function runs thousands of times with small arrays, and planning
      // its statements anew each time costs more than running them — without: 3.38 s
      "plan_cache_mode = force_generic_plan",
    ];
  return [
    ...both,
    // without: 1.39 / 2.74 / 2.10 s
    "enable_nestloop = off",
    // without: 1.37 / 3.22 / 1.92 s (its per-key probes never repeat a key)
    "enable_memoize = off",
    // The next three undo the array function's settings: acc_<r>__write calls this function for a
    // large stored set (handOverLargeSet), and a function inherits its caller's settings — without
    // them its joins ran as generic nested loops (a 15k-key unposting: 69 s instead of 1). Called
    // directly they change nothing (1.15–1.20 / 2.31–2.47 / 1.87–2.02 s).
    "enable_hashjoin = on",
    "enable_mergejoin = on",
    "plan_cache_mode = auto",
    // For sets of a million rows, whose aggregates, sorts and hashes spill to temporary files at
    // the default 4 MB (the staged rework that set it: 3.07 → 1.93 s for a 10k-account set, with
    // its other changes); at 60,000 movements no difference (1.23 / 2.30 / 1.86 s without).
    // (hash_mem_multiplier = 2 went: it is PostgreSQL's default since 15, and removing it
    // changed nothing.)
    "work_mem = '256MB'",
  ];
}

/**
 * A posting function, acc_<r>__write (records from the jsonb array) or acc_<r>__write_staged
 * (from the staging table): the steps below, each a helper of ddl-sql.ts that generates the
 * statement for either source.
 */
function writeFunction(conf: Configuration, s: AccShape, from: RecordSource): string {
  const sql = new RegisterSql(s, from);
  const name = from === "array" ? s.writeFn : s.stagedFn;
  const args = `p$recorder uuid, p$kind character varying, p$check boolean${from === "array" ? ", p$rows jsonb" : ""}`;
  const body = [
    `IF v$area IS NULL THEN RAISE EXCEPTION '${name}: app.area is not set'; END IF;`,
    // 0. a recorder whose stored set is large (unposting or reposting a large set) is written by
    // the staged function, set-based, its new rows staged from the jsonb
    ...(from === "array" ? [sql.handOverLargeSet(COPY_THRESHOLD)] : []),
    // 1. the recorder's old movements deleted (aggregated per month and key), the new ones inserted
    ...sql.replaceMovements(),
    // 2. the difference per (month, key): new minus old
    sql.delta(),
    sql.returnIfNoDelta(),
    // 3. the data-area lock shared and the touched keys' locks in one global (ascending hash)
    // order, or the data-area lock exclusive for a very large set
    sql.lockKeys(sql.deltaKeyCount(), KEY_LOCK_LIMIT, sql.keyLocks()),
    // 4. totals and balance (the fast path when every key is in one month of the delta)
    sql.isBalance ? sql.balanceApply(sql.oneMonthPerKey(), sql.fastApply(), sql.generalApply()) : sql.turnoverApply(),
    // 5. rows left at zero
    ...sql.cleanup(),
  ];
  // 6. keys whose resource went down and below zero are refused, with their presentations
  if (sql.isBalance)
    body.push(`IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(refused_key || ${presentation(conf, s)}) INTO v$neg FROM jsonb_array_elements(v$neg) refused_key;
    RAISE EXCEPTION USING ERRCODE = '${NEGATIVE_SQLSTATE}', MESSAGE = '${s.table}: negative balance', DETAIL = v$neg::text;
  END IF;`);
  const types = args.replace(/p\$\w+ /g, "");
  return `CREATE OR REPLACE FUNCTION ${q(name)}(${args}) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
${plannerSettings(from)
  .map((setting) => `SET ${setting}`)
  .join("\n")} AS $fn$
DECLARE
  ${sql.declarations().join("\n  ")}
BEGIN
  ${body.join("\n  ")}
END
$fn$;
COMMENT ON FUNCTION ${q(name)}(${types}) IS ${lit(MARKER)};
GRANT EXECUTE ON FUNCTION ${q(name)}(${types}) TO ${q(APP_ROLE)};`;
}

/**
 * Names of the engine's own indexes: `<table>__<suffix>`, the table part shortened (with a hash)
 * to fit 63 bytes. They end in the suffix — never in the 6-hex definition hash by which the
 * migrator recognizes (and replaces) the indexes of the table model.
 */
function engineIndexName(table: string, suffix: string): string {
  const name = `${table}__${suffix}`;
  if (name.length <= 63) return name;
  return `${table.slice(0, 63 - suffix.length - 11)}_${hex8(table)}__${suffix}`;
}
const hex8 = (s: string) => (hash32(s) >>> 0).toString(16).padStart(8, "0");

/**
 * The engine's own indexes (see tables.ts): the covering key index of the movements and the
 * BRIN indexes. They carry a marker comment; a marked index of the register's tables that is
 * no longer wanted (its definition changed with the metadata) is dropped, as are the btree
 * indexes of earlier versions of this layout.
 */
function engineIndexes(s: AccShape): string {
  const key = `(${["area", ...s.dims.map((d) => d.col), "period"].map(q).join(", ")}) INCLUDE (${["record_kind", ...s.res.map((r) => r.col)].map(q).join(", ")})`;
  const want = [
    { table: s.table, name: engineIndexName(s.table, `key_${hex8(key)}`), def: key },
    {
      table: s.table,
      name: engineIndexName(s.table, "period_brin"),
      def: "USING brin (area, period) WITH (autosummarize = on)",
    },
    {
      table: s.totals,
      name: engineIndexName(s.totals, "month_brin"),
      def: "USING brin (area, month) WITH (autosummarize = on)",
    },
  ];
  const old = [indexName(s.table, "period"), indexName(s.totals, "month"), indexName(s.table, "key_period")];
  return `${old.map((n) => `DROP INDEX IF EXISTS ${q(n)};`).join("\n")}
DO $$DECLARE unwanted text; BEGIN
  FOR unwanted IN SELECT rel.relname FROM pg_index idx JOIN pg_class rel ON rel.oid = idx.indexrelid
            WHERE idx.indrelid IN (${lit(s.table)}::regclass, ${lit(s.totals)}::regclass) AND obj_description(rel.oid, 'pg_class') = ${lit(MARKER)}
              AND NOT (rel.relname = ANY (ARRAY[${want.map((w) => lit(w.name)).join(", ")}]))
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(unwanted); END LOOP;
END$$;
${want.map((w) => `CREATE INDEX IF NOT EXISTS ${q(w.name)} ON ${q(w.table)} ${w.def};\nCOMMENT ON INDEX ${q(w.name)} IS ${lit(MARKER)};`).join("\n")}`;
}

/**
 * Drops engine functions whose register left the configuration (or whose name changed) — and
 * acc_<r>__write_many of earlier versions, whose group writer moved to bench/group-commit.
 */
function dropOrphans(keep: string[]): string {
  return `DO $$DECLARE orphan regprocedure; BEGIN
  FOR orphan IN SELECT proc.oid::regprocedure FROM pg_proc proc JOIN pg_namespace ns ON ns.oid = proc.pronamespace
            WHERE ns.nspname = current_schema() AND obj_description(proc.oid, 'pg_proc') = ${lit(MARKER)}
              AND NOT (proc.proname = ANY (ARRAY[${keep.map(lit).join(", ") || "''"}]::text[]))
  LOOP EXECUTE 'DROP FUNCTION ' || orphan::text; END LOOP;
END$$;`;
}

/**
 * The engine's DDL in named parts, in the order the migrator runs them: the orphan drop, then per
 * register its indexes and its two functions. The snapshot test (tests/platform/
 * register-sql-snapshots.test.ts) keeps each part of the warehouse fixture as a file under
 * tests/snapshots/registers/, so a change to the generated SQL shows up as a diff in review.
 */
export function registerSqlParts(conf: Configuration): { register: string | null; part: string; sql: string }[] {
  const out: { register: string | null; part: string; sql: string }[] = [];
  const keep: string[] = [];
  for (const reg of accumulationStorages(conf)) {
    const s = accShape(reg);
    keep.push(s.writeFn, s.stagedFn);
    out.push(
      { register: reg.name, part: "indexes", sql: engineIndexes(s) },
      { register: reg.name, part: "write", sql: writeFunction(conf, s, "array") },
      { register: reg.name, part: "write_staged", sql: writeFunction(conf, s, "staging") },
    );
  }
  return [{ register: null, part: "drop_orphans", sql: dropOrphans(keep) }, ...out];
}

export function registerFunctionsSql(conf: Configuration): string {
  return registerSqlParts(conf)
    .map((p) => p.sql)
    .join("\n\n");
}
