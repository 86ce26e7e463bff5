/**
 * Puppeteer helpers for the tabular-part tests: a demo document's rows, <tabular-part id="tp">
 * mounted alone on the app's page with the real /api/metadata, and reading its cells, footer
 * and rows (the grid repaints asynchronously, so reads wait for the expected value).
 * Not a test file itself.
 */
import type { Page } from "puppeteer";
import type { App } from "./browser.ts";
import { settled } from "../../helpers/wait.ts";

export type P = Page & { errors: string[] };

export interface Tabular {
  rows: any[];
  refs: Record<string, string>;
}

/** The rows and refs of a tabular part of the first document of a kind. */
export async function firstDocumentPart(app: App, doc: string, table: string): Promise<Tabular> {
  const list = await app.api("GET", `/documents/${doc}?limit=1`);
  const d = await app.api("GET", `/documents/${doc}/${list.rows[0].id}`);
  return { rows: d[table], refs: d.refs };
}

export interface MountOptions {
  /** The element's CSS height in px. */
  height: number;
  /** Computed columns: column name → JS source of `(row) => value`, defined by the page. */
  computed?: Record<string, string>;
}

/**
 * Mounts <tabular-part id="tp"> for a document's tabular part in place of the shell. Events are
 * recorded on window: rows-changed counted in __changes (the last rows in __lastRows), and
 * rows-changed / fill-request listed in __events as ["rows", n] / ["fill", table].
 */
export async function mount(
  page: P,
  doc: string,
  table: string,
  rows: unknown[],
  refs: Record<string, string>,
  opts: MountOptions,
) {
  await page.waitForFunction(() => !!customElements.get("tabular-part"));
  // a string, not a function: tsx would wrap named helpers in __name(), unknown to the page
  const computed = Object.entries(opts.computed ?? {});
  if (computed.length)
    await page.evaluate(
      `window.__computed = {${computed.map(([c, src]) => `${JSON.stringify(c)}: ${src}`).join(",")}}`,
    );
  await page.evaluate(
    async (doc, table, rows, refs, height) => {
      const md = await (await fetch("/api/metadata")).json();
      const meta = md.documents.find((d: any) => d.name === doc).tabularParts.find((t: any) => t.name === table);
      document.querySelector("app-shell")?.remove();
      document.querySelector("#tp")?.remove();
      const el: any = document.createElement("tabular-part");
      el.id = "tp";
      el.style.height = `${height}px`;
      el.style.margin = "8px";
      Object.assign(el, { meta, metadata: md, rows, refs });
      const fns = (window as any).__computed as Record<string, unknown> | undefined;
      if (fns) el.computed = Object.fromEntries(Object.entries(fns).map(([c, compute]) => [c, { compute }]));
      (window as any).__changes = 0;
      (window as any).__events = [];
      el.addEventListener("rows-changed", (e: any) => {
        (window as any).__changes++;
        (window as any).__lastRows = e.detail.rows;
        (window as any).__events.push(["rows", e.detail.rows.length]);
      });
      el.addEventListener("fill-request", (e: any) => (window as any).__events.push(["fill", e.detail.table]));
      document.body.append(el);
      await el.updateComplete;
    },
    doc,
    table,
    rows,
    refs,
    opts.height,
  );
  await page.waitForSelector("tabular-part >>> .ag-header-cell");
  if (rows.length) await page.waitForSelector("tabular-part >>> .ag-row");
}

export const cellSel = (row: number, col: string) =>
  `tabular-part >>> .ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`;

/**
 * read() once it equals `want` (or whatever it gives after a generous wait, for the caller's
 * assertion to show; at once without `want`): tests/helpers/wait.ts settled.
 */
export const settle = <T>(want: T | undefined, read: () => Promise<T>): Promise<T> => settled(want, read);

/** Whether the cell is marked invalid, once it is `want` (cell classes repaint asynchronously). */
export async function marked(page: P, row: number, col: string, want: boolean): Promise<boolean> {
  return settle(want, () => page.$eval(cellSel(row, col), (e) => e.classList.contains("tp-error")));
}

/** The cell's text once it equals `want` (or whatever it shows after a generous wait). */
export async function cellText(page: P, row: number, col: string, want?: string): Promise<string> {
  const read = () =>
    page.evaluate(
      (row, col) => {
        const root = (document.querySelector("#tp") as any).shadowRoot as ShadowRoot;
        return (
          root.querySelector(`.ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`)?.textContent ?? "<none>"
        ).trim();
      },
      row,
      col,
    );
  return settle(want, read);
}

/** The totals footer's text in a column once it equals `want` (or whatever it shows after a generous wait). */
export async function footerText(page: P, col: string, want?: string): Promise<string> {
  const read = () =>
    page.evaluate((col) => {
      const root = (document.querySelector("#tp") as any).shadowRoot as ShadowRoot;
      return (root.querySelector(`.ag-row-pinned .ag-cell[col-id="${col}"]`)?.textContent ?? "<none>").trim();
    }, col);
  return settle(want, read);
}

export const rowsOf = (page: P) => page.evaluate(() => (document.querySelector("#tp") as any).getRows());
