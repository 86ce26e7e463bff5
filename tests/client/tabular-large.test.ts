/**
 * The tabular-part editor with 10,000 rows: it mounts, renders only the visible rows, Ctrl+↓
 * and the mouse wheel reach the bottom, and an edit, a move and a delete there keep the footer
 * total exact without rebuilding the grid. Times are printed, not asserted (the point is "does
 * not hang": every read waits for its value with a generous deadline; speed is bench/'s).
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { cellText, firstDocumentPart, footerText, type P, type Tabular } from "./helpers/tabular.ts";
import { waitFor } from "../helpers/wait.ts";

const N = 10_000;
const NBSP = "\u00a0";

const footer = (page: P, want: string) => footerText(page, "Rate", want);

/** A thousands-grouped Russian number, as the footer shows it. */
const ru = (int: number, frac: string) => String(int).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP) + "," + frac;

describe("client: the tabular-part editor with 10,000 rows", function () {
  let app: App;
  let tariffs: Tabular;
  before(async () => {
    app = await startApp();
    tariffs = await firstDocumentPart(app, "TariffChange", "Tariffs");
  });
  after(async () => app?.close());

  it("mounts, scrolls to the last row and edits there with an exact footer", async () => {
    const page = await app.open();
    await page.waitForFunction(() => !!customElements.get("tabular-part"));
    // Rate of row i (1-based) is i,2500: the total is N(N+1)/2 + N/4
    const ms = await page.evaluate(
      async (seed, refs, n) => {
        const md = await (await fetch("/api/metadata")).json();
        const meta = md.documents.find((d: any) => d.name === "TariffChange").tabularParts[0];
        const rows = Array.from({ length: n }, (_, i) => ({
          ...seed[i % seed.length],
          line: i + 1,
          Rate: `${i + 1}.2500`,
        }));
        document.querySelector("app-shell")?.remove();
        const t0 = performance.now();
        const el: any = document.createElement("tabular-part");
        el.id = "tp";
        el.style.height = "560px";
        // (rates have no totals by default: this test names the column to add up)
        Object.assign(el, { meta, metadata: md, rows, refs, totals: ["Rate"] });
        (window as any).__changes = 0;
        el.addEventListener("rows-changed", () => (window as any).__changes++);
        document.body.append(el);
        await el.updateComplete;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        return performance.now() - t0;
      },
      tariffs.rows,
      tariffs.refs,
      N,
    );
    console.log(`      10,000 rows mounted in ${ms.toFixed(0)} ms`);
    expect(await cellText(page, 0, "Rate", "1,2500")).to.equal("1,2500");
    const total = (N * (N + 1)) / 2 + N / 4;
    expect(await footer(page, ru(total, "0000"))).to.equal(ru(total, "0000"));
    // only the visible rows are in the DOM
    const rendered = await page.$$eval("tabular-part >>> .ag-row[row-index]", (els) => els.length);
    expect(rendered).to.be.lessThan(120);

    // the mouse wheel scrolls the body
    const first = await page.waitForSelector(`tabular-part >>> .ag-row[row-index="0"] .ag-cell[col-id="Service"]`);
    const box = (await first!.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 100);
    const scrolledPast = () =>
      page.evaluate(() => {
        const root = (document.querySelector("#tp") as any).shadowRoot as ShadowRoot;
        const shown = [...root.querySelectorAll(".ag-row[row-index]")]
          .map((r) => r.getAttribute("row-index")!)
          .filter((x) => /^\d+$/.test(x))
          .map(Number);
        return !shown.includes(0) && Math.max(...shown) > 200;
      });
    // Wheel turns until the rows past row 200 are shown (each turn waits for the grid's repaint).
    await waitFor(
      async () => {
        await page.mouse.wheel({ deltaY: 1000 });
        return scrolledPast();
      },
      { what: "the wheel scrolling the rows past row 200" },
    );

    // Ctrl+↓ goes to the last row: № 10000 is shown
    await first!.click().catch(() => undefined);
    await page.evaluate(() => (document.querySelector("#tp") as any).selectCell(300, "Rate"));
    await page.keyboard.down("Control");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.up("Control");
    expect(await cellText(page, N - 1, "_line", String(N))).to.equal(String(N));
    expect(await cellText(page, N - 1, "Rate", ru(N, "2500"))).to.equal(ru(N, "2500"));
    await app.shot(page, "tabular-10000-bottom");

    // edit the last row's rate: the cell and the total change at once
    let t0 = Date.now();
    await page.keyboard.type("0,25");
    await page.keyboard.press("Enter");
    expect(await cellText(page, N - 1, "Rate", "0,2500")).to.equal("0,2500");
    const afterEdit = total - N;
    expect(await footer(page, ru(afterEdit, "0000"))).to.equal(ru(afterEdit, "0000"));
    const editMs = Date.now() - t0;
    // move it up (Ctrl+Shift+↑) and delete it (Del): the grid is updated, not rebuilt
    t0 = Date.now();
    await page.keyboard.down("Control");
    await page.keyboard.down("Shift");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.up("Shift");
    await page.keyboard.up("Control");
    expect(await cellText(page, N - 2, "Rate", "0,2500")).to.equal("0,2500");
    expect(await cellText(page, N - 1, "Rate", ru(N - 1, "2500"))).to.equal(ru(N - 1, "2500"));
    const moveMs = Date.now() - t0;
    t0 = Date.now();
    await page.keyboard.press("Delete");
    const afterDelete = afterEdit - 0.25;
    expect(await footer(page, ru(Math.floor(afterDelete), "7500"))).to.equal(ru(Math.floor(afterDelete), "7500"));
    const deleteMs = Date.now() - t0;
    console.log(`      edit ${editMs} ms, move ${moveMs} ms, delete ${deleteMs} ms (including the test's round trips)`);
    const rows = await page.evaluate(() => {
      const r = (document.querySelector("#tp") as any).getRows();
      return { n: r.length, last: r[r.length - 1], changes: (window as any).__changes };
    });
    expect(rows.n).to.equal(N - 1);
    expect(rows.last).to.deep.include({ line: N - 1, Rate: `${N - 1}.2500` });
    expect(rows.changes).to.equal(3);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-10000-edited");
    await page.close();
  });
});
