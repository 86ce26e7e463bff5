/**
 * Helpers of the seed screens' browser tests (seed-documents, seed-screens, seed-settings): the
 * demo catalogs, the generic document form and its tabular parts — grid headers in display
 * order, a column's texts, the focused cell, typing into cells and reference cells, Подбор, a
 * header reference field, keys with modifiers, and the API's numbers in the Russian format.
 * Not a test file itself.
 */
import type { ElementHandle, Page } from "puppeteer";
import type { App } from "./browser.ts";
import { click, find, until } from "./ui.ts";

export const DOC = "app-shell >>> document-form";
export const MV = "app-shell >>> movements-view";

/** The tabular part `table` of the open document form (of a custom form `form`). */
export const tpOf = (table: string, form = DOC) => `${form} >>> tabular-part[data-table="${table}"]`;

/** An API decimal ("1500.5000") as the grid shows it ("1 500,5000"). */
export function ru(s: string | null | undefined, scale: number): string {
  if (s === null || s === undefined) return "";
  const [i, f = ""] = String(s).split(".");
  return scale ? `${i.replace(/\B(?=(\d{3})+(?!\d))/g, " ")},${f.padEnd(scale, "0")}` : i;
}

/** "2011-12-01" → "01.12.2011". */
export const ddmmyyyy = (d: string) => d.slice(0, 10).split("-").reverse().join(".");

/** The grid's header captions, left to right. */
export async function headers(page: Page, tp: string): Promise<string[]> {
  const els = await page.$$(`${tp} >>> .ag-header-cell`);
  const pairs = await Promise.all(
    els.map((h) =>
      h.evaluate((c) => [c.getBoundingClientRect().left, (c.textContent ?? "").trim()] as [number, string]),
    ),
  );
  return pairs.sort((a, b) => a[0] - b[0]).map((p) => p[1]);
}

/** A column's texts of the grid's data rows (not the pinned totals row), in row order. */
export async function cells(page: Page, tp: string, col: string): Promise<string[]> {
  const els = await page.$$(`${tp} >>> .ag-row:not(.ag-row-pinned) .ag-cell[col-id="${col}"]`);
  const pairs = await Promise.all(
    els.map((h) =>
      h.evaluate(
        (c) =>
          [
            Number(c.closest(".ag-row")?.getAttribute("row-index")),
            (c.textContent ?? "").replace(/\u00a0/g, " ").trim(),
          ] as [number, string],
      ),
    ),
  );
  return pairs
    .filter((p) => !Number.isNaN(p[0]))
    .sort((a, b) => a[0] - b[0])
    .map((p) => p[1]);
}

/** Waits until the column shows exactly `want`. */
export async function cellsAre(page: Page, tp: string, col: string, want: string[]): Promise<void> {
  let last: string[] = [];
  await until(`${col} = ${JSON.stringify(want)}`, async () => {
    last = await cells(page, tp, col);
    return JSON.stringify(last) === JSON.stringify(want);
  }).catch(() => {
    throw new Error(`column ${col}: expected ${JSON.stringify(want)}, got ${JSON.stringify(last)}`);
  });
}

/** "row:column" of the grid's focused cell, "" when none. */
export async function focused(tp: ElementHandle): Promise<string> {
  return tp.evaluate((el: any) => {
    const c = el.api?.getFocusedCell?.();
    return c ? `${c.rowIndex}:${c.column.getColId()}` : "";
  });
}

/** The grid's rows as the form will send them. */
export const rowsOf = (tp: ElementHandle) => tp.evaluate((el: any) => el.getRows());

const cellSel = (tp: string, row: number, col: string) =>
  `${tp} >>> .ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`;

/** Focuses a cell without editing it. */
export const focusCell = (page: Page, tp: string, row: number, col: string) => click(page, cellSel(tp, row, col));

/** Types into a number, date or string cell: click it, type (AG Grid starts editing), Enter commits. */
export async function typeCell(page: Page, tp: string, row: number, col: string, value: string): Promise<void> {
  await click(page, cellSel(tp, row, col));
  await page.keyboard.type(value);
  await page.keyboard.press("Enter");
}

/**
 * Picks a catalog item into a reference cell by type-ahead: F2 starts the edit (puppeteer types
 * Cyrillic as inserted text, without the key that would start it), the text, Enter on the first match.
 */
export async function typeRef(page: Page, tp: string, row: number, col: string, text: string): Promise<void> {
  await click(page, cellSel(tp, row, col));
  await page.keyboard.press("F2");
  await page.waitForSelector(`${tp} >>> .tp-ref-editor input`);
  await page.keyboard.type(text);
  await page.waitForSelector(`${tp} >>> .ref-dropdown .ref-item`, { visible: true });
  await page.keyboard.press("Enter");
}

/** Chooses an enum cell's value by the keyboard: Enter opens the select, ↓ `down` times, Enter. */
export async function chooseEnum(page: Page, tp: string, row: number, col: string, down: number): Promise<void> {
  await click(page, cellSel(tp, row, col));
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${tp} >>> select.tp-editor`);
  for (let i = 0; i < down; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
}

/** Подбор: ticks the picker's rows `indexes` and confirms. */
export async function pick(page: Page, tp: string, indexes: number[]): Promise<void> {
  await click(page, `${tp} >>> .tb-pick`);
  const last = Math.max(...indexes);
  await page.waitForFunction(
    (i) =>
      !!document
        .querySelector(`app-modal.picker .ag-row[row-index="${i}"] .ag-cell[col-id="presentation"]`)
        ?.textContent?.trim(),
    {},
    last,
  );
  for (const i of indexes) await click(page, `app-modal.picker .ag-row[row-index='${i}'] .ag-selection-checkbox input`);
  await click(page, "app-modal.picker .picker-ok");
  await page.waitForFunction(() => !document.querySelector("app-modal"));
}

/** A header reference field (<ref-input>): the text typed, Enter on the first match. */
export async function typeRefField(page: Page, form: string, name: string, text: string): Promise<void> {
  const ri = `${form} >>> ref-input[name="${name}"]`;
  await click(page, `${ri} >>> input`);
  await page.keyboard.type(text);
  await page.waitForSelector(`${ri} >>> .ref-item`, { visible: true });
  await page.keyboard.press("Enter");
}

/** A key with modifiers held: combo(page, ["Control", "Shift"], "ArrowDown"). */
export async function combo(page: Page, mods: ("Control" | "Shift" | "Alt")[], key: string): Promise<void> {
  for (const m of mods) await page.keyboard.down(m);
  await page.keyboard.press(key as never);
  for (const m of [...mods].reverse()) await page.keyboard.up(m);
}

/** Opens the document list and a new document form. */
export async function createDoc(page: Page, name: string, form = DOC): Promise<void> {
  await page.evaluate((n) => (location.hash = `#/list/document/${n}`), name);
  await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
  await find(page, `${form} >>> input[name="comment"]`);
}

/** The id of the document open in the active tab (from the hash). */
export async function openId(page: Page, name: string): Promise<string> {
  const hash = await page.evaluate(() => location.hash);
  const m = new RegExp(`document/${name}/([\\w-]+)`).exec(hash);
  if (!m) throw new Error(`no ${name} in ${hash}`);
  return m[1];
}

/** Fails with the form's message if it shows one (a refusal), else waits for `done`. */
export async function waitPosted(
  page: Page,
  form: string,
  done: () => Promise<boolean>,
  timeout = 30_000,
): Promise<void> {
  await until(
    "posted",
    async () => {
      const alert = await page.$(`${form} >>> .message[role="alert"]`);
      if (alert) throw new Error(await alert.evaluate((e) => e.textContent ?? ""));
      return done();
    },
    timeout,
  );
}

/** The records of a document's movements in one register, as the API gives them. */
export async function movements(app: App, doc: string, id: string, register: string): Promise<any[]> {
  return (await app.api("GET", `/documents/${doc}/${id}/movements`)).registers[register]?.rows ?? [];
}

/** The demo's services and tariff kinds (all) and its first ten personal accounts by code. */
export async function demoCatalogs(app: App): Promise<{ services: any[]; kinds: any[]; accounts: any[] }> {
  return {
    services: (await app.api("GET", "/catalogs/Services?limit=100")).rows,
    kinds: (await app.api("GET", "/catalogs/TariffKinds?limit=100")).rows,
    accounts: (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=10")).rows,
  };
}
