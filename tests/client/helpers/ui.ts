/**
 * Puppeteer helpers for the shell's tests: waiting for the shell, clicking and reading through
 * shadow roots (pierce selectors ">>>"), the active tab and its form, AG Grid cell texts.
 * Not a test file itself.
 */
import type { Page } from "puppeteer";
import { type Truthy, WAIT_MS, waitFor } from "../../helpers/wait.ts";

export const S = {
  shell: "app-shell",
  activePage: "app-shell >>> .page:not([hidden])",
};

/** Waits until the shell has the metadata and rendered its sections. */
export async function shellReady(page: Page): Promise<void> {
  await page.waitForSelector("app-shell[ready]", { timeout: WAIT_MS });
  await page.waitForSelector("app-shell >>> .section");
}

/**
 * Waits for an element by polling: puppeteer's waitForSelector watches DOM mutations of the
 * document, and changes inside shadow roots may not wake it.
 */
export async function find(page: Page, selector: string, timeout = WAIT_MS) {
  return until(
    `element ${selector}`,
    async () => {
      const el = await page.$(selector);
      return el && (await el.isVisible()) ? el : null;
    },
    timeout,
  );
}

export async function click(page: Page, selector: string): Promise<void> {
  await (await find(page, selector)).click();
}

export async function texts(page: Page, selector: string): Promise<string[]> {
  const els = await page.$$(selector);
  return Promise.all(els.map((e) => e.evaluate((x) => (x.textContent ?? "").replace(/\u00a0/g, " ").trim())));
}

export async function text(page: Page, selector: string): Promise<string> {
  const el = await until(`element ${selector}`, () => page.$(selector));
  return el.evaluate((x) => (x.textContent ?? "").replace(/\u00a0/g, " ").trim());
}

/** Waits until fn(page) returns something truthy (polling: tests/helpers/wait.ts), or fails with `what`. */
export function until<T>(what: string, fn: () => Promise<T>, timeout = WAIT_MS): Promise<Truthy<T>> {
  return waitFor(fn, { what, timeoutMs: timeout, intervalMs: 100 });
}

/** The captions of the open tabs, in order. */
export const tabCaptions = (page: Page) => texts(page, "app-shell >>> .tab .caption");

export const activeCaption = (page: Page) => text(page, "app-shell >>> .tab.active .caption");

/** The texts of one column of the rendered rows of a grid inside `scope`, in display order. */
export async function columnTexts(page: Page, scope: string, colId: string): Promise<string[]> {
  const cells = await page.$$(`${scope} >>> .ag-cell[col-id="${colId}"]`);
  const pairs = await Promise.all(
    cells.map((h) =>
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

/** Types into an input inside the active tab, replacing its text, then leaves it (change fires). */
export async function typeInto(page: Page, selector: string, value: string): Promise<void> {
  const el = await find(page, selector);
  await el.click({ count: 3 });
  await page.keyboard.down("Control");
  await page.keyboard.press("a");
  await page.keyboard.up("Control");
  await page.keyboard.press("Backspace");
  await el.type(value);
  await el.evaluate((x) => (x as HTMLElement).blur());
}

export const formatMoney = (s: string, decimals: number) => {
  const [i, f = ""] = s.split(".");
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, " ")}${decimals ? "," + f.padEnd(decimals, "0").slice(0, decimals) : ""}`;
};
