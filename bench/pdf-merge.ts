/**
 * Benchmark of the batch print's merge — not a test: the chunk PDFs of a batch of receipts
 * appended into one document by server/reports/pdf-merge.ts (objects copied as bytes) and by
 * pdf-lib (PDFDocument.create + copyPages of each loaded chunk, then save), printed as a table.
 *
 * The chunks are real: the print path (reports/receipt through server/reports/, REPORT_CHUNK or
 * the form's chunk size) prints BENCH_ACCOUNTS (default 1000) receipts once, in its own embedded
 * PostgreSQL, and every chunk Chromium returns is kept (in BENCH_CHUNKS, a folder reused by the
 * next run if it holds them; default a temporary folder, deleted). The batch merged is
 * BENCH_RECEIPTS (default 10000) receipts: those chunks repeated in order. Each merge runs in a
 * fresh process (the chunks read into memory first), BENCH_REPEAT times (default 2), so its peak
 * RSS is its own: "peak RSS" is the process's maximum resident set, "over the chunks" that less
 * the RSS with the chunks loaded, before merging.
 * Run: npx tsx bench/pdf-merge.ts
 */
import "./quiet-log.ts";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDocument } from "pdf-lib";
import { PdfConcat } from "../server/reports/pdf-merge.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const log = (s: string) => process.stderr.write(s + "\n");
const mb = (b: number) => (b / 2 ** 20).toFixed(0) + " MB";

type Way = "pdf-merge" | "pdf-lib";
const WAYS: Way[] = ["pdf-merge", "pdf-lib"];

/** pdf-lib as the print path would use it: each chunk loaded and its pages copied, then saved. */
async function withPdfLib(chunks: Uint8Array[]): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  for (const bytes of chunks) {
    const src = await PDFDocument.load(bytes, { updateMetadata: false });
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  return out.save({ objectsPerTick: Infinity });
}

function withPdfMerge(chunks: Uint8Array[]): Uint8Array {
  const c = new PdfConcat();
  for (const bytes of chunks) c.add(bytes);
  return c.finish();
}

/** The child: one merge of the chunks in `dir` repeated to `count` chunks; prints a JSON line. */
async function child(way: Way, dir: string, count: number): Promise<void> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".pdf"))
    .sort();
  const distinct = files.map((f) => new Uint8Array(readFileSync(join(dir, f))));
  const chunks = Array.from({ length: count }, (_, i) => distinct[i % distinct.length]);
  const rss0 = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = way === "pdf-lib" ? await withPdfLib(chunks) : withPdfMerge(chunks);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS * 1024;
  const pages = (await PDFDocument.load(out, { updateMetadata: false })).getPageCount();
  console.log(
    JSON.stringify({ way, ms, cpu: (cpu.user + cpu.system) / 1000, rss0, peak, bytes: out.byteLength, pages }),
  );
}

/** Prints BENCH_ACCOUNTS receipts through the print path and writes each chunk's PDF to `dir`. */
async function makeChunks(dir: string, n: number): Promise<void> {
  const { startEmbedded } = await import("../server/storage/embedded.ts");
  const { openPlatform } = await import("../server/platform.ts");
  const { tx } = await import("../server/storage/db.ts");
  const cat = await import("../server/catalogs/service.ts");
  const docs = await import("../server/documents/service.ts");
  const { runner } = await import("../server/http/context.ts");
  const { FormRegistry } = await import("../server/reports/discover.ts");
  const { loadContext, output } = await import("../server/reports/render.ts");
  const { defaultPrinter, closePrinter } = await import("../server/reports/pdf.ts");
  const { prepareReceiptMonth, RECEIPT_MONTH } = await import("./receipt-month.ts");
  const pgDir = mkdtempSync(join(tmpdir(), "zhkh-bench-pdf-merge-"));
  const db = await startEmbedded(pgDir);
  try {
    const u = new URL(db.url);
    u.pathname = "/bench_pdf_merge";
    const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
    try {
      await prepareReceiptMonth(p, n);
      const form = new FormRegistry(join(ROOT, "reports"), p.conf).get("receipt");
      const loaded = await loadContext(runner(p, 1), form, { period: RECEIPT_MONTH });
      // every chunk Chromium prints, by the order it was asked for
      const printer = defaultPrinter() as unknown as { printOne(page: unknown, html: string): Promise<Uint8Array> };
      const printOne = printer.printOne.bind(printer);
      const printed: Promise<Uint8Array>[] = [];
      printer.printOne = (page, html) => {
        const r = printOne(page, html);
        printed.push(r);
        return r;
      };
      await output(form, loaded, "pdf");
      mkdirSync(dir, { recursive: true });
      for (const [i, bytes] of (await Promise.all(printed)).entries())
        writeFileSync(join(dir, `chunk-${String(i).padStart(4, "0")}.pdf`), bytes);
      log(`  ${printed.length} chunks of ${n} receipts printed to ${dir}`);
    } finally {
      await closePrinter();
      await p.close();
    }
  } finally {
    await db.stop();
    rmSync(pgDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  await child(process.argv[3] as Way, process.argv[4], Number(process.argv[5]));
  process.exit(0);
}

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const keep = !!process.env.BENCH_CHUNKS;
const dir = process.env.BENCH_CHUNKS ?? mkdtempSync(join(tmpdir(), "zhkh-bench-pdf-merge-chunks-"));
try {
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith(".pdf"))) await makeChunks(dir, ACCOUNTS);
  const files = readdirSync(dir).filter((f) => f.endsWith(".pdf"));
  const perChunk = ACCOUNTS / files.length; // the chunks of BENCH_ACCOUNTS receipts
  const count = Math.max(1, Math.round(RECEIPTS / perChunk));
  log(`  merging ${count} chunks of ${perChunk} receipts (${files.length} distinct, repeated), ${REPEAT}× each way`);
  const rows: string[][] = [];
  const best = new Map<Way, number>();
  for (let r = 0; r < REPEAT; r++) {
    for (const way of WAYS) {
      const load = loadavg()[0];
      const c = spawnSync(
        process.execPath,
        ["--import", "tsx", fileURLToPath(import.meta.url), "--child", way, dir, String(count)],
        { encoding: "utf8", env: process.env, maxBuffer: 1 << 20 },
      );
      if (c.status !== 0) throw new Error(`${way}: ${c.stderr}`);
      const m = JSON.parse(c.stdout.trim().split("\n").pop()!) as {
        ms: number;
        cpu: number;
        rss0: number;
        peak: number;
        bytes: number;
        pages: number;
      };
      best.set(way, Math.min(best.get(way) ?? Infinity, m.ms));
      rows.push([
        way,
        String(count * perChunk),
        String(m.pages),
        (m.ms / 1000).toFixed(2) + " s",
        (m.cpu / 1000).toFixed(2) + " s",
        mb(m.peak),
        mb(m.peak - m.rss0),
        mb(m.bytes),
        load.toFixed(1),
      ]);
    }
  }
  const head = ["merge", "receipts", "pages", "time", "CPU", "peak RSS", "over the chunks", "PDF size", "load avg"];
  const w = head.map((x, i) => Math.max(x.length, ...rows.map((c) => c[i].length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  console.log([row(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(row)].join("\n"));
  console.log(`pdf-lib / pdf-merge (best times): ${(best.get("pdf-lib")! / best.get("pdf-merge")!).toFixed(1)}×`);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
