/**
 * Benchmark of the group accrual (metadata/documents/GroupAccrual.ts), printed as a table — not
 * a test. Starts its own embedded PostgreSQL in a temporary folder; for each size N it opens the
 * platform on metadata/ in a fresh database and generates, set-based as the owner (INSERT …
 * SELECT generate_series, area = 1 explicitly):
 *  - N personal accounts in N/100 buildings; the seed's six services and tariffs (a posted
 *    TariffChange); every account connected to all six (AccountServices rows recorded by one
 *    AccountServiceChange document row);
 *  - two meters per account (cold: cumulative; hot: cyclic, 4 digits) with readings on the 20th
 *    of five months; some rolling over, some missing this month (average), some missing the
 *    month before (recalculation).
 * Then it times posting ONE GroupAccrual over all of them (createDocument + post through
 * server/documents/service.ts inside tx; the empty account list means every open account),
 * beside a raw COPY of the same number of movement rows into a scratch copy of acc_accruals in
 * the same run, sampling the process's RSS.
 * Run: npx tsx bench/accrual.ts   (BENCH_ACCOUNTS=1000,10000,100000 by default; BENCH_KEEP=1
 * keeps the data folder; ACCRUAL_PROFILE=1 prints the handler's phases to stderr, POSTING_PROFILE=1 the engine's; BENCH_SAMPLE=1
 * samples pg_stat_activity every second; BENCH_SLICES=1 compares the platform's whole-register
 * sliceLast with a DISTINCT ON scan; BENCH_PGSS=1 prints the posting's top statements, nested ones
 * included, from pg_stat_statements; BENCH_EXPLAIN=1 logs the plans of statements over 200 ms;
 * BENCH_FLOOR=1 times the register functions alone on staging tables holding the posting's rows).
 * After the posting it times unposting the accrual, posting it again and reposting it over its
 * own set, and prints their ratios to the posting (BENCH_UNPOST=0 skips them).
 */
import "./quiet-log.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform, type Platform } from "../server/platform.ts";
import { tx, type Client } from "../server/storage/db.ts";
import { copyIn } from "../server/registers/copy.ts";
import { q } from "../server/storage/naming.ts";
import * as cat from "../server/catalogs/service.ts";
import * as docs from "../server/documents/service.ts";
import { DEMO } from "../metadata/initial-data.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SIZES = (process.env.BENCH_ACCOUNTS ?? "1000,10000,100000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const MONTH = "2024-06-01";
const log = (s: string) => process.stderr.write(s + "\n");
const sec = (t: number) => (t / 1000).toFixed(2) + " s";
const fmtN = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

// The seed's six services and tariffs, as the demo data has them.
const SERVICES = DEMO.services;

interface Result {
  n: number;
  movements: number;
  post: number;
  copy: number;
  rss: number;
  /** Unposting the accrual, posting it again, and posting it once more over its own set (BENCH_UNPOST=0: not timed). */
  unpost?: number;
  repost?: number;
  over?: number;
}

const inArea = <T>(p: Platform, fn: (ctx: cat.Ctx) => Promise<T>) =>
  tx(p.db.app, 1, (c) => fn({ c, conf: p.conf, area: 1 }));

/** Generates n accounts with services, tariffs, meters and readings (exported for bench/receipts.ts). */
export async function generate(p: Platform, n: number): Promise<void> {
  const t0 = performance.now();
  const kinds: Record<string, string> = {};
  const services: Record<string, string> = {};
  let cold = "",
    hot = "",
    asc = "",
    imr = "";
  await inArea(p, async (ctx) => {
    for (const k of ["Основной", "ГВС"]) kinds[k] = (await cat.createCatalogItem(ctx, "TariffKinds", { name: k })).id;
    let order = 1;
    for (const [name, unit, method, , , , normative] of SERVICES) {
      const sources = method === "DerivedVolume" ? [{ Service: services["ХВС"] }, { Service: services["ГВС"] }] : [];
      services[name] = (
        await cat.createCatalogItem(ctx, "Services", {
          name,
          Unit: unit,
          CalculationMethod: method,
          Normative: normative,
          RaisingFactor: method === "ByMeter" ? "1.50" : null,
          ReceiptOrder: order++,
          SourceServices: sources,
        })
      ).id;
    }
    await docs.createDocument(
      ctx,
      "TariffChange",
      {
        date: "2024-01-01T00:00:00",
        Tariffs: SERVICES.map(([name, , , kind, rate, over]) => ({
          Service: services[name],
          TariffKind: kinds[kind],
          Rate: rate,
          RateOverNorm: over,
        })),
      },
      { post: true },
    );
    cold = (
      await cat.createCatalogItem(ctx, "MeterTypes", {
        name: "ХВС",
        Unit: "м3",
        ReadingType: "Cumulative",
        DigitCapacity: "5",
      })
    ).id;
    hot = (
      await cat.createCatalogItem(ctx, "MeterTypes", {
        name: "ГВС",
        Unit: "м3",
        ReadingType: "Cyclic",
        DigitCapacity: "4",
      })
    ).id;
    // Recorders of the generated register rows: one document row each, as a posting would leave.
    asc = (await docs.createDocument(ctx, "AccountServiceChange", { date: "2024-01-01T00:00:00" })).id;
    imr = (await docs.createDocument(ctx, "InitialMeterReadings", { date: "2024-02-20T00:00:00" })).id;
  });
  const o = p.db.owner;
  const buildings = Math.max(1, Math.ceil(n / 100));
  await o.query(
    `INSERT INTO cat_buildings (area, code, name, address, total_area)
     SELECT 1, lpad(g::text, 5, '0'), 'Дом ' || g, 'ул. Тестовая, д.' || g, 6000 FROM generate_series(1, $1::int) g`,
    [buildings],
  );
  await o.query(
    `INSERT INTO cat_personal_accounts (area, code, name, building, apartment, total_area, living_area, residents, beneficiaries, opened)
     SELECT 1, lpad(g::text, 11, '0'), 'Житель ' || g, b.id, ((g - 1) % 100 + 1)::text,
            30 + g % 50 + (g % 10) / 10.0, 20 + g % 30, 1 + g % 4, 0, date '2010-01-01'
       FROM generate_series(1, $1::int) g
       JOIN cat_buildings b ON b.area = 1 AND b.code = lpad(((g - 1) / 100 + 1)::text, 5, '0')`,
    [n],
  );
  await o.query(
    `INSERT INTO inf_account_services (area, recorder, recorder_kind, line, period, account, service, tariff_kind, status)
     SELECT 1, $1::uuid, 'AccountServiceChange', row_number() OVER (), date '2024-01-01', a.id, s.id, s.kind, 'Connected'
       FROM cat_personal_accounts a CROSS JOIN unnest($2::uuid[], $3::uuid[]) AS s(id, kind) WHERE a.area = 1`,
    [asc, SERVICES.map(([name]) => services[name]), SERVICES.map(([, , , kind]) => kinds[kind])],
  );
  await o.query(
    `INSERT INTO cat_meters (area, code, name, meter_type, service, kind, account, building)
     SELECT 1, lpad((2 * a.code::bigint - 1 + m.k)::text, 9, '0'), m.name || ' ' || a.code, m.type, m.service, 'Individual', a.id, a.building
       FROM cat_personal_accounts a CROSS JOIN unnest(array[0, 1], array['ХВС', 'ГВС'], array[$1::uuid, $2::uuid], array[$3::uuid, $4::uuid]) AS m(k, name, type, service)
      WHERE a.area = 1`,
    [cold, hot, services["ХВС"], services["ГВС"]],
  );
  // Readings on the 20th of February..June 2024 (k = 0..4): value = base + k × consumption;
  // hot meters with code % 100 = 0 roll over 9999 → 0 in June; code % 37 = 0 miss June (average);
  // code % 41 = 0 miss May (June is recalculated).
  await o.query(
    `INSERT INTO inf_meter_readings (area, recorder, recorder_kind, line, period, meter, reading)
     SELECT 1, $1::uuid, 'InitialMeterReadings', row_number() OVER (), date '2024-02-20' + (k || ' month')::interval, m.id,
            CASE WHEN m.code::bigint % 2 = 0 AND m.code::bigint % 100 = 0
                 THEN (9990 - 3 * c + k * c) % 10000
                 ELSE (m.code::bigint % 1000) * 10 + k * c END
       FROM (SELECT id, code, 1 + code::bigint % 9 + (code::bigint % 7) / 8.0 AS c FROM cat_meters WHERE area = 1) m
       CROSS JOIN generate_series(0, 4) k
      WHERE NOT (k = 4 AND m.code::bigint % 37 = 0) AND NOT (k = 3 AND m.code::bigint % 41 = 0)`,
    [imr],
  );
  await o.query("ANALYZE");
  log(`  N=${fmtN(n)}: generated in ${sec(performance.now() - t0)}`);
}

/**
 * BENCH_SLICES=1: the platform's sliceLast of a whole register (recursive skip-scan, one probe
 * per key) against a plain DISTINCT ON scan of the same index, as the application role —
 * evidence for the platform when the slices dominate.
 */
async function compareSlices(p: Platform): Promise<void> {
  const { sliceLast } = await import("../server/registers/index.ts");
  for (const [reg, dims, at] of [
    ["AccountServices", "account, service", "2024-06-30"],
    ["MeterReadings", "meter", "2024-06-25"],
  ] as const) {
    const meta = p.conf.informationRegisters.get(reg)!;
    const table = reg === "AccountServices" ? "inf_account_services" : "inf_meter_readings";
    await tx(p.db.app, 1, async (c) => {
      let t = performance.now();
      const a = await sliceLast(c, p.conf, meta, at);
      const tSkip = performance.now() - t;
      t = performance.now();
      const b = await c.query(
        `SELECT DISTINCT ON (${dims}) * FROM ${table} WHERE period <= $1::date ORDER BY ${dims}, period DESC`,
        [at],
      );
      const tDistinct = performance.now() - t;
      log(
        `  slices ${reg}: ${a.length} keys — platform sliceLast ${sec(tSkip)}, DISTINCT ON ${sec(tDistinct)} (${b.rowCount} rows)`,
      );
    });
  }
}

async function copyBaseline(p: Platform, rows: number): Promise<number> {
  await p.db.owner.query(
    `DROP TABLE IF EXISTS bench_scratch; CREATE TABLE bench_scratch (LIKE acc_accruals INCLUDING ALL)`,
  );
  const { rows: sample } = await p.db.owner.query("SELECT id FROM cat_personal_accounts WHERE area = 1 LIMIT 1");
  const acc = sample[0]?.id ?? "00000000-0000-0000-0000-000000000001";
  const rec = "00000000-0000-0000-0000-00000000abcd";
  const c = await p.db.owner.connect();
  const t0 = performance.now();
  try {
    await c.query("BEGIN");
    await copyIn(
      c as Client,
      "COPY bench_scratch (area, recorder, recorder_kind, line, period, record_kind, account, service, volume, amount, benefits, recalculation, method, base, rate, previous_reading, current_reading, explanation) FROM STDIN",
      (function* () {
        for (let i = 0; i < rows; i++)
          yield `1\t${rec}\tGroupAccrual\t${i + 1}\t${MONTH} 00:00:00\t1\t${acc}\t${acc}\t43.4205\t868.41\t0.00\t0.00\tByMeter\t43.4205\t20.0000\t100.0000\t143.4205\t43,4205 м3 (показания 100,0000 → 143,4205) × 20,0000 = 868,41\n`;
      })(),
    );
    await c.query("COMMIT");
  } finally {
    c.release();
  }
  const t = performance.now() - t0;
  await p.db.owner.query("DROP TABLE bench_scratch");
  return t;
}

/**
 * BENCH_FLOOR=1: the database's share of the posting, measured apart — each register's staged
 * function run on a staging table that already holds the posting's own rows (no handler, no
 * conversion, no transfer), after the posting's movements are cleared, in a transaction that is
 * rolled back. However fast node gets, the posting cannot take less than the sum of these.
 */
async function writeFloor(p: Platform, recorder: string): Promise<string> {
  const { accShape } = await import("../server/registers/shape.ts");
  const regs = ["Accruals", "Settlements"].map((r) => accShape(p.conf.accumulationRegisters.get(r)!));
  const out: string[] = [];
  const c = await p.db.owner.connect();
  try {
    // As the registers were before the posting (empty: the generator writes none), in a
    // transaction that is rolled back.
    await c.query("BEGIN; SET LOCAL app.area = '1'");
    for (const s of regs) {
      const cols = ["line", "period", "record_kind", ...[...s.dims, ...s.res, ...s.attrs].map((f) => q(f.col))].join(
        ", ",
      );
      await c.query(
        `CREATE TEMP TABLE ${q(s.staging)} ON COMMIT DROP AS SELECT ${cols} FROM ${q(s.table)} WHERE recorder = $1 ORDER BY line`,
        [recorder],
      );
    }
    await c.query(
      `TRUNCATE ${regs
        .flatMap((s) => [s.table, s.totals, ...(s.isBalance ? [s.balance] : [])])
        .map(q)
        .join(", ")}`,
    );
    for (const s of regs) {
      const t = performance.now();
      await c.query(`SELECT ${q(s.stagedFn)}($1, 'GroupAccrual', $2)`, [
        recorder,
        s.reg.controlNegative && s.isBalance,
      ]);
      out.push(`${s.reg.name} ${sec(performance.now() - t)}`);
    }
  } finally {
    await c.query("ROLLBACK").catch(() => {});
    c.release();
  }
  return out.join(", ");
}

/**
 * Unposting the accrual (its record sets cleared: set-based through the staged function, see
 * server/registers/post.ts), posting it again, and posting the posted document once more (the
 * old set replaced by the new one), each timed on its own after ANALYZE and a checkpoint.
 */
async function unpostRepost(
  p: Platform,
  id: string,
  n: number,
  movements: number,
): Promise<{ unpost: number; repost: number; over: number }> {
  const timed = async (what: () => Promise<unknown>) => {
    // Statistics as autovacuum leaves them within a minute of a large change: the plans of the
    // staged function must hold with the registers' real sizes, not only with the empty tables
    // the generator analyzed (a repost over itself once ran 960 s at 100k after an autoanalyze).
    await p.db.owner.query("ANALYZE");
    await p.db.owner.query("CHECKPOINT");
    const t0 = performance.now();
    await what();
    return performance.now() - t0;
  };
  const left = async () =>
    Number(
      (
        await p.db.owner.query(
          `SELECT (SELECT count(*) FROM acc_accruals WHERE recorder = $1) + (SELECT count(*) FROM acc_settlements WHERE recorder = $1) AS n`,
          [id],
        )
      ).rows[0].n,
    );
  const unpost = await timed(() => inArea(p, (ctx) => docs.unpostDocument(ctx, "GroupAccrual", id)));
  if ((await left()) !== 0) throw new Error("the unposted accrual left movements");
  const repost = await timed(() => inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", id)));
  const over = await timed(() => inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", id)));
  if ((await left()) !== movements) throw new Error("the reposted accrual has another number of movements");
  log(
    `  N=${fmtN(n)}: unposted in ${sec(unpost)}, posted again in ${sec(repost)}, reposted over itself in ${sec(over)}`,
  );
  return { unpost, repost, over };
}

async function runSize(baseUrl: string, n: number): Promise<Result> {
  const u = new URL(baseUrl);
  u.pathname = `/bench_accrual_${n}`;
  const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
  try {
    await generate(p, n);
    if (process.env.BENCH_SLICES === "1") await compareSlices(p);
    await p.db.owner.query("CHECKPOINT");
    let t0 = performance.now();
    let peak = process.memoryUsage().rss;
    let peakAt = 0;
    let peakParts = "";
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      const rss = m.rss;
      if (rss > peak)
        (peak = rss),
          (peakAt = performance.now() - t0),
          (peakParts = `heap ${(m.heapTotal / 2 ** 20).toFixed(0)} MB (used ${(m.heapUsed / 2 ** 20).toFixed(0)}), external ${(m.external / 2 ** 20).toFixed(0)} MB`);
    }, 20);
    // BENCH_SAMPLE=1: what the database is doing during the posting, every second (platform hot spots).
    const sampler =
      process.env.BENCH_SAMPLE === "1"
        ? setInterval(() => {
            p.db.owner
              .query(
                "SELECT state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
              )
              .then((r) =>
                r.rows.forEach((x) =>
                  log(`    db: ${x.state} ${x.wait_event_type ?? ""}/${x.wait_event ?? ""} ${x.q}`),
                ),
              )
              .catch(() => {});
          }, 1000)
        : undefined;
    const pgss = process.env.BENCH_PGSS === "1";
    if (pgss)
      await p.db.owner.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
    const wal0 = (await p.db.owner.query("SELECT pg_current_wal_lsn() AS l")).rows[0].l;
    t0 = performance.now();
    const doc = await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "GroupAccrual",
        {
          date: "2024-06-30T23:00:00",
          Month: MONTH,
          AccrueServices: true,
          AccruePenalties: false,
          DistributionMethod: "ProportionalToDebt",
          Accounts: [],
        },
        { post: true },
      ),
    );
    const post = performance.now() - t0;
    const wal = Number(
      (await p.db.owner.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS b", [wal0])).rows[0].b,
    );
    clearInterval(timer);
    if (sampler) clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (pgss) {
      const top = await p.db.owner.query(
        `SELECT calls, round(total_exec_time) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS q FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 20`,
      );
      for (const x of top.rows) log(`    ${String(x.ms).padStart(7)} ms ${String(x.calls).padStart(6)}× ${x.q}`);
    }
    const counts = await p.db.owner.query(
      `SELECT (SELECT count(*) FROM acc_accruals WHERE recorder = $1) + (SELECT count(*) FROM acc_settlements WHERE recorder = $1) AS n`,
      [doc.id],
    );
    const movements = Number(counts.rows[0].n);
    if (process.env.BENCH_FLOOR === "1") {
      await p.db.owner.query("CHECKPOINT");
      log(`  N=${fmtN(n)}: the register functions alone, from filled staging tables: ${await writeFloor(p, doc.id)}`);
    }
    await p.db.owner.query("CHECKPOINT");
    const copy = await copyBaseline(p, movements);
    log(
      `  N=${fmtN(n)}: posted ${movements} movements in ${sec(post)} (WAL ${(wal / 2 ** 20).toFixed(0)} MB), COPY ${sec(copy)}, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (at ${sec(peakAt)}: ${peakParts})`,
    );
    const out: Result = { n, movements, post, copy, rss: peak };
    if (process.env.BENCH_UNPOST !== "0") Object.assign(out, await unpostRepost(p, doc.id, n, movements));
    return out;
  } finally {
    await p.db.owner.query(`SELECT 1`).catch(() => {});
    await p.close();
  }
}

// Run as a script only: bench/receipts.ts imports generate() from here.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-bench-accrual-"));
  // BENCH_EXPLAIN=1: plans of the posting's slow statements (nested ones too) on stderr.
  const explain = process.env.BENCH_EXPLAIN === "1";
  const pgLog = (s: string) => {
    if (explain && /duration|->|Plan|Query Text|Insert|Join|Scan|Sort|Aggregate|CTE|Loops|rows=/.test(s))
      log("    pg: " + s.trimEnd());
  };
  let db = await startEmbedded(dir, pgLog);
  if (explain) {
    const pg = (await import("pg")).default;
    const c = new pg.Client(db.url);
    await c.connect();
    await c.query("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'");
    await c.query("ALTER SYSTEM SET auto_explain.log_min_duration = '200ms'");
    await c.query("ALTER SYSTEM SET auto_explain.log_analyze = on");
    await c.query("ALTER SYSTEM SET auto_explain.log_nested_statements = on");
    await c.query("SELECT pg_reload_conf()");
    await c.end();
  }
  if (process.env.BENCH_PGSS === "1") {
    // Statement-level profile of the posting (nested statements of the register functions too).
    const pg = (await import("pg")).default;
    const c = new pg.Client(db.url);
    await c.connect();
    await c.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    await c.query("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
    await c.end();
    await db.stop();
    db = await startEmbedded(dir);
  }
  const results: Result[] = [];
  try {
    for (const n of SIZES) results.push(await runSize(db.url, n));
  } finally {
    await db.stop();
    if (process.env.BENCH_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  }

  const head = ["accounts", "movements", "post", "movements/s", "COPY", "post/COPY", "peak RSS"];
  const body = results.map((r) => [
    fmtN(r.n),
    String(r.movements),
    sec(r.post),
    ((r.movements / r.post) * 1000).toFixed(0),
    sec(r.copy),
    (r.post / r.copy).toFixed(2) + "×",
    (r.rss / 2 ** 20).toFixed(0) + " MB",
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  console.log([row(head), w.map((x) => "-".repeat(x)).join("  "), ...body.map(row)].join("\n"));
  const un = results.filter((r) => r.unpost !== undefined);
  if (un.length) {
    const h2 = ["accounts", "post", "unpost", "unpost/post", "post again", "repost over itself", "repost/post"];
    const b2 = un.map((r) => [
      fmtN(r.n),
      sec(r.post),
      sec(r.unpost!),
      (r.unpost! / r.post).toFixed(2) + "×",
      sec(r.repost!),
      sec(r.over!),
      (r.over! / r.post).toFixed(2) + "×",
    ]);
    const w2 = h2.map((h, i) => Math.max(h.length, ...b2.map((b) => b[i].length)));
    const row2 = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w2[i]) : c.padStart(w2[i]))).join("  ");
    console.log("\n" + [row2(h2), w2.map((x) => "-".repeat(x)).join("  "), ...b2.map(row2)].join("\n"));
    console.log(
      `target: unposting (and reposting) costs at most twice the posting — worst unpost/post ${Math.max(...un.map((r) => r.unpost! / r.post)).toFixed(2)}×, repost/post ${Math.max(...un.map((r) => r.over! / r.post)).toFixed(2)}×`,
    );
  }
  const r10k = results.find((r) => r.n === 10_000),
    r100k = results.find((r) => r.n === 100_000);
  if (r10k && r100k) console.log(`100k/10k time ratio: ${(r100k.post / r10k.post).toFixed(2)} (target ≤ 12)`);
  if (r100k)
    console.log(
      `targets at 100k: post ≤ 15 s (${sec(r100k.post)}), ≤ 3× COPY (${(r100k.post / r100k.copy).toFixed(2)}×), peak RSS ≤ 1.5 GB (${(r100k.rss / 2 ** 30).toFixed(2)} GB)`,
    );
}
