/**
 * Benchmark of batch receipt printing (reports/receipt through server/reports/), printed as a
 * table — not a test. Starts its own embedded PostgreSQL in a temporary folder; for each size N
 * it generates N accounts with services, tariffs, meters and readings (bench/accrual.ts's
 * generate), gives their buildings a recipient organization, posts one GroupAccrual for the
 * month, and then times one PDF of every account's receipt for the month:
 *  - data: the receipt's data module (parameters, registers, catalogs) in one transaction;
 *  - pdf: the template in chunks (REPORT_CHUNK, default the manifest's) printed by the warm
 *    Chromium (REPORT_PDF_PARALLEL tabs) and merged into one document; split into the template
 *    (Handlebars, QR images), Chromium's load (setContent) and print (page.pdf) summed over the
 *    tabs, and the merge;
 * sampling the peak RSS of this process and the peak PSS of Chromium's processes, and counting
 * the CPU time of both (on a shared machine wall time follows the load; CPU time much less: the
 * "CPU" figures are per receipt, node + Chromium, and their sum / cores is what the batch would
 * take on an idle machine). The load average is printed before and after. The baseline,
 * measured in the same run, is a browser started per receipt (launch + one-page PDF + close, of
 * 3 samples).
 * Run: npx tsx bench/receipts.ts   (BENCH_RECEIPTS=10000 by default; BENCH_RECEIPTS=1000 is the
 * quick mode; BENCH_KEEP=1 keeps the data folder and writes the PDF to artifacts/;
 * BENCH_DUMP=file.html writes the first chunk's HTML; BENCH_BASELINE=0 skips the baseline).
 */
import "./quiet-log.ts";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer";
import { PDFDocument } from "pdf-lib";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform, type Platform } from "../server/platform.ts";
import { runner } from "../server/http/context.ts";
import { FormRegistry } from "../server/reports/discover.ts";
import { loadContext, output } from "../server/reports/render.ts";
import { CHROMIUM_ARGS, chromiumExecutable, defaultPrinter, closePrinter, printOnly } from "../server/reports/pdf.ts";
import { prepareReceiptMonth, RECEIPT_MONTH } from "./receipt-month.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SIZES = (process.env.BENCH_RECEIPTS ?? "10000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const MONTH = RECEIPT_MONTH;
const log = (s: string) => process.stderr.write(s + "\n");
const sec = (t: number) => (t / 1000).toFixed(2) + " s";
const mb = (b: number) => (b / 2 ** 20).toFixed(0) + " MB";
const CORES = cpus().length;

/**
 * PSS (bytes; pages shared between Chromium's processes count once) and CPU time (ms, with
 * reaped children) of a process and its descendants, from /proc; smaps only for the tree (the
 * machine may run many other processes).
 */
function tree(root: number, withPss = true): { pss: number; cpu: number } {
  const kids = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  const tick = 1000 / 100; // USER_HZ
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(Number(e), (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick);
      kids.set(Number(f[1]), [...(kids.get(Number(f[1])) ?? []), Number(e)]);
    } catch {
      /* gone */
    }
  }
  const total = { pss: 0, cpu: 0 };
  const walk = (pid: number) => {
    total.cpu += cpu.get(pid) ?? 0;
    if (withPss) {
      try {
        const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
        total.pss += m ? Number(m[1]) * 1024 : 0;
      } catch {
        /* gone */
      }
    }
    for (const k of kids.get(pid) ?? []) walk(k);
  };
  walk(root);
  return total;
}

async function prepare(p: Platform, n: number): Promise<void> {
  const t0 = performance.now();
  await prepareReceiptMonth(p, n);
  log(`  N=${n}: organization and GroupAccrual posted in ${sec(performance.now() - t0)}`);
}

/** A browser per receipt: launch, one receipt's PDF, close (the cost the warm browser avoids). */
async function perReceiptBaseline(html: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const b = await puppeteer.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
    const page = await b.newPage();
    await page.setContent(printOnly(html), { waitUntil: "load" });
    await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: false, outline: false });
    await b.close();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}

interface Result {
  n: number;
  data: number;
  pdf: number;
  /** The PDF phase's parts (ms): template, setContent and page.pdf summed over the tabs, merge. */
  template: number;
  load: number;
  print: number;
  merge: number;
  /** CPU time of the PDF phase (ms): this process, Chromium. */
  cpuNode: number;
  cpuChrome: number;
  pages: number;
  bytes: number;
  nodeRss: number;
  chromeRss: number;
  baseline: number;
  load1: [number, number];
}

async function runSize(baseUrl: string, n: number): Promise<Result> {
  const u = new URL(baseUrl);
  u.pathname = `/bench_receipts_${n}`;
  const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
  try {
    await prepare(p, n);
    const run = runner(p, 1);
    const form = new FormRegistry(join(ROOT, "reports"), p.conf).get("receipt");
    // the template's time: the form's compiled template, timed
    let template = 0;
    const compiled = form.template.bind(form);
    form.template = () => {
      const fn = compiled();
      return (c, d) => {
        const t = performance.now();
        try {
          return fn(c, d);
        } finally {
          template += performance.now() - t;
        }
      };
    };
    const printer = defaultPrinter();
    let nodeRss = process.memoryUsage().rss,
      chromeRss = 0;
    let sampling = false;
    const timer = setInterval(() => {
      nodeRss = Math.max(nodeRss, process.memoryUsage().rss);
      if (sampling) return;
      sampling = true;
      void printer.pid().then((pid) => {
        if (pid) chromeRss = Math.max(chromeRss, tree(pid).pss);
        sampling = false;
      });
    }, 1000);
    const loadBefore = loadavg()[0];
    const t0 = performance.now();
    const loaded = await loadContext(run, form, { period: MONTH });
    const data = performance.now() - t0;
    const receipts = (loaded.context.receipts as unknown[]).length;
    if (receipts !== n) throw new Error(`expected ${n} receipts, got ${receipts}`);
    if (process.env.BENCH_DUMP) {
      const first = (loaded.context.receipts as unknown[]).slice(0, Number(process.env.REPORT_CHUNK) || 100);
      writeFileSync(
        process.env.BENCH_DUMP,
        printOnly(
          (await output(form, { ...loaded, context: { ...loaded.context, receipts: first } }, "html")).body as string,
        ),
      );
      template = 0;
    }
    // the browser is started (and a tab warmed) before the clock, as in a server that has printed before
    await printer.print(
      [(await output(form, { ...loaded, context: { ...loaded.context, receipts: [] } }, "html")).body as string][
        Symbol.iterator
      ](),
    );
    template = 0;
    const stats0 = { ...printer.stats };
    const pid = (await printer.pid())!;
    const cpu0 = process.cpuUsage(),
      chrome0 = tree(pid, false).cpu;
    let last = 0;
    const t1 = performance.now();
    const out = await output(form, loaded, "pdf", {
      progress: (_s, done, total) => {
        if (done - last >= total / 10 || done === total)
          log(`    ${done}/${total} receipts, ${sec(performance.now() - t1)}`), (last = done);
      },
    });
    const pdf = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const cpuChrome = tree(pid, false).cpu - chrome0;
    clearInterval(timer);
    const st = printer.stats;
    const bytes = (out.body as Uint8Array).byteLength;
    const pages = (await PDFDocument.load(out.body as Uint8Array)).getPageCount();
    if (process.env.BENCH_KEEP === "1") {
      mkdirSync(join(ROOT, "artifacts"), { recursive: true });
      writeFileSync(join(ROOT, "artifacts", `receipts-${n}.pdf`), out.body as Uint8Array);
    }
    const one = await output(
      form,
      { ...loaded, context: { ...loaded.context, receipts: (loaded.context.receipts as unknown[]).slice(0, 1) } },
      "html",
    );
    await closePrinter();
    const baseline = process.env.BENCH_BASELINE === "0" ? NaN : await perReceiptBaseline(one.body as string);
    log(
      `  N=${n}: data ${sec(data)}, PDF ${sec(pdf)} (${pages} pages, ${mb(bytes)}), peak RSS node ${mb(nodeRss)}, Chromium ${mb(chromeRss)}`,
    );
    return {
      n,
      data,
      pdf,
      template,
      load: st.load - stats0.load,
      print: st.pdf - stats0.pdf,
      merge: st.merge - stats0.merge,
      cpuNode: (cpu.user + cpu.system) / 1000,
      cpuChrome,
      pages,
      bytes,
      nodeRss,
      chromeRss,
      baseline,
      load1: [loadBefore, loadavg()[0]],
    };
  } finally {
    await p.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), "zhkh-bench-receipts-"));
const db = await startEmbedded(dir);
const results: Result[] = [];
try {
  for (const n of SIZES) results.push(await runSize(db.url, n));
} finally {
  await closePrinter();
  await db.stop();
  if (process.env.BENCH_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
}

const per = (ms: number, n: number) => (ms / n).toFixed(2);
const head = [
  "receipts",
  "data",
  "PDF",
  "total",
  "receipts/s",
  "pages",
  "PDF size",
  "peak RSS node",
  "peak PSS Chromium",
  "browser per receipt (est.)",
  "speed-up",
];
const body = results.map((r) => [
  String(r.n),
  sec(r.data),
  sec(r.pdf),
  sec(r.data + r.pdf),
  ((r.n / (r.data + r.pdf)) * 1000).toFixed(0),
  String(r.pages),
  mb(r.bytes),
  mb(r.nodeRss),
  mb(r.chromeRss),
  Number.isNaN(r.baseline) ? "-" : sec(r.baseline * r.n),
  Number.isNaN(r.baseline) ? "-" : ((r.baseline * r.n) / (r.data + r.pdf)).toFixed(0) + "×",
]);
const head2 = [
  "receipts",
  "ms/receipt: data",
  "PDF",
  "template",
  "setContent (Σ tabs)",
  "page.pdf (Σ tabs)",
  "merge",
  "CPU node",
  "CPU Chromium",
  "idle estimate",
  "load avg",
];
const body2 = results.map((r) => [
  String(r.n),
  per(r.data, r.n),
  per(r.pdf, r.n),
  per(r.template, r.n),
  per(r.load, r.n),
  per(r.print, r.n),
  per(r.merge, r.n),
  per(r.cpuNode, r.n),
  per(r.cpuChrome, r.n),
  // data runs alone; the PDF phase keeps the cores busy: its CPU over the cores
  sec(r.data + (r.cpuNode + r.cpuChrome) / CORES),
  `${r.load1[0].toFixed(1)} → ${r.load1[1].toFixed(1)}`,
]);
const table = (h: string[], b: string[][]) => {
  const w = h.map((x, i) => Math.max(x.length, ...b.map((c) => c[i].length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [row(h), w.map((x) => "-".repeat(x)).join("  "), ...b.map(row)].join("\n");
};
console.log(table(head, body));
console.log();
console.log(table(head2, body2));
const r10k = results.find((r) => r.n === 10_000);
if (r10k)
  console.log(
    `target: 10 000 receipts ≤ 60 s (${sec(r10k.data + r10k.pdf)}; ${CORES} cores, load average ${r10k.load1.map((x) => x.toFixed(1)).join(" → ")})`,
  );
process.exit(0);
