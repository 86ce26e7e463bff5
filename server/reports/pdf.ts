/**
 * PDF through puppeteer and Chromium (Debian's /usr/bin/chromium, or PUPPETEER_EXECUTABLE_PATH).
 * One browser per process, started on the first PDF and kept warm: it closes itself after
 * REPORT_BROWSER_IDLE_MS without work (an unref'd timer, so it never holds the process) or on
 * closePrinter(). A long document comes as chunks of HTML (a few hundred sheets each): at most
 * `parallel` chunks (REPORT_PDF_PARALLEL, default 2 — one per core) are printed at once, each
 * by its own tab, and the chunks' PDFs are appended in order to one document as they arrive
 * (pdf-merge.ts copies Chromium's objects as bytes; pdf-lib if a chunk is not as it expects), so
 * Chromium never holds more than a chunk per tab. The document is laid out for print only: on
 * screen its body is display:none, which spares Chromium the screen layout on load and again
 * after printing (a third of its work). Without Chromium a PDF request answers 503 saying how
 * to install it; HTML and CSV still work. puppeteer is a development dependency, loaded only
 * when the first PDF is printed: a production install (npm install --omit=dev) starts and
 * serves everything else, and its PDF requests answer 503 saying how to get puppeteer.
 */
import { existsSync } from "node:fs";
import type { Browser, Page, PuppeteerNode } from "puppeteer";
import { PDFDocument } from "pdf-lib";
import { AppError } from "../errors.ts";
import { PdfConcat, UnsupportedPdf } from "./pdf-merge.ts";
import { setting } from "../config.ts";

/** Where Chromium is: PUPPETEER_EXECUTABLE_PATH, else Debian's /usr/bin/chromium. */
export const chromiumExecutable = (): string => setting("PUPPETEER_EXECUTABLE_PATH");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface PrinterOptions {
  /** Default: PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium. */
  executablePath?: string;
  /** Close the idle browser after this many ms (default REPORT_BROWSER_IDLE_MS or 60 000). */
  idleMs?: number;
  /** Chunks printed at once, process-wide (default REPORT_PDF_PARALLEL or 2). */
  parallel?: number;
}

export function unavailable(path: string, why: string): AppError {
  return new AppError(
    503,
    "pdf_unavailable",
    `PDF сейчас не формируется: ${why} (${path}). Установите Chromium: apt-get install -y chromium — или укажите путь к нему в PUPPETEER_EXECUTABLE_PATH и перезапустите сервер. Просмотр (HTML) и выгрузка в CSV работают.`,
  );
}

/** puppeteer, imported on the first PDF; a 503 saying how to install it when it is not installed. */
type Launcher = Pick<PuppeteerNode, "launch">;
let puppeteerModule: Promise<Launcher> | undefined;
export function loadPuppeteer(): Promise<Launcher> {
  const loading: Promise<Launcher> = (puppeteerModule ??= import("puppeteer").then(
    (m): Launcher => m,
    (e) => {
      puppeteerModule = undefined; // installed later: the next PDF tries again
      const missing =
        (e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" ||
        /Cannot find (package|module) 'puppeteer'/.test(String((e as Error).message));
      throw new AppError(
        503,
        "pdf_unavailable",
        missing
          ? "PDF сейчас не формируется: не установлен пакет puppeteer (приложение установлено без dev-зависимостей, npm install --omit=dev). " +
              "Установите его: npm install (со всеми зависимостями) или npm install puppeteer, и Chromium: apt-get install -y chromium — затем перезапустите сервер. Просмотр (HTML) и выгрузка в CSV работают."
          : `PDF сейчас не формируется: пакет puppeteer не загружается: ${String((e as Error).message).split("\n")[0]}. Переустановите его (npm install puppeteer) и перезапустите сервер. Просмотр (HTML) и выгрузка в CSV работают.`,
      );
    },
  ));
  return loading;
}

/** Where a printer's time went, summed over its chunks (ms; tabs overlap, so print can exceed wall time). */
export interface PrintStats {
  chunks: number;
  /** Loading the chunks into tabs (setContent). */
  load: number;
  /** Chromium printing them (page.pdf). */
  pdf: number;
  /** Appending them to the document, and finishing it. */
  merge: number;
}

export class Printer {
  /** Running totals, for benchmarks. */
  readonly stats: PrintStats = { chunks: 0, load: 0, pdf: 0, merge: 0 };
  private browser: Promise<Browser> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private busy = 0;
  private queue: (() => void)[] = [];
  readonly executablePath: string;
  readonly idleMs: number;
  readonly parallel: number;

  constructor(o: PrinterOptions = {}) {
    this.executablePath = o.executablePath ?? chromiumExecutable();
    this.idleMs = o.idleMs ?? setting("REPORT_BROWSER_IDLE_MS");
    this.parallel = Math.max(1, Math.floor(o.parallel ?? setting("REPORT_PDF_PARALLEL")));
  }

  /** The browser's process id while it runs (for memory figures), else undefined. */
  async pid(): Promise<number | undefined> {
    return this.browser ? (await this.browser.catch(() => undefined))?.process()?.pid : undefined;
  }

  private launch(): Promise<Browser> {
    if (!existsSync(this.executablePath)) return Promise.reject(unavailable(this.executablePath, "не найден Chromium"));
    const started = loadPuppeteer()
      .then((puppeteer) =>
        puppeteer.launch({
          executablePath: this.executablePath,
          args: CHROMIUM_ARGS,
          // The server decides about its signals; puppeteer still kills Chromium when the process exits.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          protocolTimeout: 600_000,
        }),
      )
      .then(
        (b) => {
          b.once("disconnected", () => {
            if (this.browser === started) this.browser = undefined;
          });
          return b;
        },
        (e) => {
          this.browser = undefined;
          if (e instanceof AppError) throw e; // puppeteer is not installed
          throw unavailable(
            this.executablePath,
            `Chromium не запускается: ${String((e as Error).message).split("\n")[0]}`,
          );
        },
      );
    return started;
  }

  private async acquire(): Promise<void> {
    if (this.idle) clearTimeout(this.idle), (this.idle = undefined);
    if (this.busy < this.parallel) {
      this.busy++;
      return;
    }
    await new Promise<void>((r) => this.queue.push(r));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) return next(); // the slot passes on
    this.busy--;
    if (this.busy === 0 && this.browser) {
      this.idle = setTimeout(() => void this.close(), this.idleMs);
      this.idle.unref();
    }
  }

  private async page(): Promise<Page> {
    this.browser ??= this.launch();
    const b = await this.browser;
    const page = await b.newPage();
    await page.setJavaScriptEnabled(false);
    return page;
  }

  /** One HTML document as PDF bytes (its @page rules give size and margins). */
  private async printOne(page: Page, html: string): Promise<Uint8Array> {
    const t0 = performance.now();
    await page.setContent(printOnly(html), { waitUntil: "load", timeout: 0 });
    const t1 = performance.now();
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      tagged: false,
      outline: false,
      timeout: 0,
    });
    this.stats.chunks++, (this.stats.load += t1 - t0), (this.stats.pdf += performance.now() - t1);
    return pdf;
  }

  /**
   * Prints the documents `chunks` yields (each a complete HTML document) into one PDF, in order.
   * `onChunk(i)` is called as chunk i is appended. Chunks are pulled lazily, as tabs free up.
   */
  async print(chunks: Iterator<string>, onChunk?: (index: number) => void): Promise<Uint8Array> {
    const results = new Map<number, Uint8Array>();
    let next = 0,
      merged = 0,
      finished = false;
    let single: Uint8Array | undefined; // the first chunk, until a second one comes
    let concat: PdfConcat | undefined;
    let lib: PDFDocument | undefined; // pdf-lib, once a chunk is not as pdf-merge expects
    let failure: unknown;
    const add = async (bytes: Uint8Array) => {
      if (lib) return copyInto(lib, bytes);
      concat ??= new PdfConcat();
      try {
        if (single) concat.add(single), (single = undefined);
        concat.add(bytes);
      } catch (e) {
        if (!(e instanceof UnsupportedPdf)) throw e;
        lib = await PDFDocument.create();
        if (!concat.empty) await copyInto(lib, concat.finish());
        if (single) await copyInto(lib, single), (single = undefined);
        await copyInto(lib, bytes);
      }
    };
    // Appends the finished chunks that are next in order; one append at a time (serialized).
    let appending = Promise.resolve();
    const append = () =>
      (appending = appending.then(async () => {
        while (results.has(merged)) {
          const bytes = results.get(merged)!;
          results.delete(merged);
          const t = performance.now();
          if (merged === 0) single = bytes;
          else await add(bytes);
          this.stats.merge += performance.now() - t;
          onChunk?.(merged);
          merged++;
        }
      }));
    const worker = async () => {
      let page: Page | undefined;
      try {
        for (;;) {
          if (failure || finished) return;
          await this.acquire();
          try {
            if (failure) return;
            const item = chunks.next();
            if (item.done) {
              finished = true;
              return;
            }
            const index = next++;
            page ??= await this.page();
            results.set(index, await this.printOne(page, item.value));
          } finally {
            this.release();
          }
          await append();
        }
      } catch (e) {
        failure ??= e;
      } finally {
        await page?.close().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: this.parallel }, worker));
    if (failure) throw failure;
    await append();
    const t = performance.now();
    try {
      if (lib) return await lib.save({ objectsPerTick: Infinity });
      if (concat && !concat.empty) return concat.finish();
      return single ?? (await (await PDFDocument.create()).save());
    } finally {
      this.stats.merge += performance.now() - t;
    }
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle), (this.idle = undefined);
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => {});
  }
}

/** The document with its body hidden on screen: Chromium lays it out for print only. */
export function printOnly(html: string): string {
  const style = "<style>@media screen{body{display:none!important}}</style>";
  const at = html.search(/<\/head>/i);
  return at >= 0 ? html.slice(0, at) + style + html.slice(at) : style + html;
}

async function copyInto(out: PDFDocument, bytes: Uint8Array): Promise<void> {
  const src = await PDFDocument.load(bytes, { updateMetadata: false });
  for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
}

let shared: Printer | undefined;
/** The process's printer (one warm browser for every request). */
export const defaultPrinter = () => (shared ??= new Printer());
/** Closes the process's browser, if one runs (for a server's shutdown; also closes by itself when idle). */
export async function closePrinter(): Promise<void> {
  await shared?.close();
}
