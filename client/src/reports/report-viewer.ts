/**
 * <report-viewer>: a rendered report (the server's whole HTML document, server/reports/html.ts)
 * in an isolated frame, with the toolbar of 1C's spreadsheet viewer: page N of M (the sheets
 * `section.report-page`; the current page follows the scroll, ◀ ▶ go to a sheet), zoom (−, the
 * percentage resets to 100%, +; scales `.report`), Find / Next (highlights every match, the
 * current one stronger, cycling), Печать (the browser's print of the frame: the document's own
 * @page rules lay it out) and the downloads the form supports (PDF, CSV, Excel) as `report-download`
 * events {format} for the owner to fetch.
 * The frame is <iframe srcdoc sandbox="allow-same-origin allow-modals">: no script of the
 * document can run (no allow-scripts, and it inherits the app's CSP: script-src 'self'), while
 * the viewer may read its DOM for paging and finding; allow-modals lets print() open.
 */
import { LitElement, css, html, nothing } from "lit";
import { t } from "../i18n/index.ts";
import { commonStyles } from "../styles.ts";
import { FIND_CSS, Finder } from "./find.ts";

const ZOOMS = [25, 50, 75, 90, 100, 110, 125, 150, 200, 300];

export class ReportViewer extends LitElement {
  static override properties = {
    html: {},
    formats: { attribute: false },
    page: { state: true },
    pages: { state: true },
    zoom: { state: true },
    query: { state: true },
    found: { state: true },
  };
  static override styles = [
    commonStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; flex: 1; }
      .bar { border-bottom: 1px solid #ddd; background: #fafafa; padding: 4px 8px; gap: 6px; }
      .bar .info { min-width: 56px; text-align: center; color: #444; }
      .bar .sep { width: 1px; height: 18px; background: #ccc; margin: 0 4px; }
      .bar input.find { width: 160px; }
      .bar .found { color: #666; min-width: 70px; }
      .bar .found.none { color: #9f3a38; }
      button.cmd.icon { padding: 3px 7px; }
      iframe { flex: 1; width: 100%; border: 0; background: #e8e8e8; min-height: 300px; }
    `,
  ];

  html = "";
  formats: string[] = [];
  page = 0;
  pages = 0;
  zoom = 100;
  query = "";
  /** Matches of the last find: [current (1-based), count], or null before any find. */
  found: [number, number] | null = null;
  private sheets: HTMLElement[] = [];
  private finder = new Finder(() => this.doc?.querySelector("main.report") ?? this.doc?.body ?? null);
  private findQuery = "";

  private get frame(): HTMLIFrameElement | null {
    return this.renderRoot.querySelector("iframe");
  }
  private get doc(): Document | null {
    return this.frame?.contentDocument ?? null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("html")) {
      this.sheets = [];
      this.page = this.pages = 0;
      this.found = null;
      this.findQuery = "";
      this.removeAttribute("loaded");
    }
  }

  private onLoad = () => {
    const doc = this.doc;
    if (!doc?.body) return;
    const style = doc.createElement("style");
    style.textContent = FIND_CSS;
    doc.head?.append(style);
    this.sheets = [...doc.querySelectorAll<HTMLElement>("section.report-page")];
    this.pages = this.sheets.length;
    this.page = this.pages ? 1 : 0;
    this.applyZoom();
    doc.defaultView?.addEventListener("scroll", this.onScroll, { passive: true });
    doc.addEventListener("click", this.onLink);
    if (this.query.trim()) this.runFind();
    this.setAttribute("loaded", "");
    this.dispatchEvent(new CustomEvent("report-shown", { bubbles: true, composed: true }));
  };

  /**
   * A report's link to another tab — `<a data-open="report/<form>/<parameters>">` (a drill-down:
   * the ОСВ by an account, the account's card) or `data-open="document/<name>/<id>"` — opens it in
   * the shell (the frame runs no scripts and may not navigate the page itself).
   */
  private onLink = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.("a[data-open]");
    const key = a?.getAttribute("data-open");
    if (!key) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent("open-tab", { detail: { key }, bubbles: true, composed: true }));
  };

  /** The page whose sheet holds the upper third of the view. */
  private onScroll = () => {
    const view = this.doc?.defaultView;
    if (!view || !this.sheets.length) return;
    const line = view.innerHeight / 3;
    let n = 1;
    this.sheets.forEach((s, i) => {
      if (s.getBoundingClientRect().top <= line) n = i + 1;
    });
    this.page = n;
  };

  goto(n: number): void {
    if (!this.sheets.length) return;
    const i = Math.min(Math.max(n, 1), this.sheets.length);
    this.sheets[i - 1].scrollIntoView({ block: "start" });
    this.page = i;
  }

  setZoom(z: number): void {
    this.zoom = Math.min(Math.max(z, ZOOMS[0]), ZOOMS[ZOOMS.length - 1]);
    this.applyZoom();
  }

  private step(dir: 1 | -1): void {
    const next = dir > 0 ? ZOOMS.find((z) => z > this.zoom) : [...ZOOMS].reverse().find((z) => z < this.zoom);
    if (next) this.setZoom(next);
  }

  private applyZoom(): void {
    const report = this.doc?.querySelector<HTMLElement>("main.report") ?? this.doc?.body;
    if (report) report.style.zoom = String(this.zoom / 100);
    this.onScroll();
  }

  /** Find: marks the matches of the query (or goes to the next one when the query is the same). */
  runFind(): void {
    const q = this.query;
    if (q === this.findQuery && this.finder.count) return this.findNext();
    this.findQuery = q;
    const n = this.finder.find(q);
    this.found = q.trim() ? [n ? 1 : 0, n] : null;
    this.onScroll();
  }

  findNext(): void {
    if (this.query !== this.findQuery) return this.runFind();
    if (!this.finder.count) return;
    this.finder.next();
    this.found = [this.finder.current + 1, this.finder.count];
    this.onScroll();
  }

  print(): void {
    this.frame?.contentWindow?.print();
  }

  private download(format: string): void {
    this.dispatchEvent(new CustomEvent("report-download", { detail: { format }, bubbles: true, composed: true }));
  }

  private onFindKey(e: KeyboardEvent): void {
    if (e.key === "Enter") {
      e.preventDefault();
      this.runFind();
    }
  }

  override render() {
    const has = this.pages > 0;
    const found = this.found;
    return html`
      <div class="bar" role="toolbar">
        <button class="cmd icon" data-cmd="prev-page" title=${t("report.prevPage")} ?disabled=${this.page <= 1} @click=${() => this.goto(this.page - 1)}>◀</button>
        <span class="info page-info">${t("report.pageOf", { n: this.page, m: this.pages })}</span>
        <button class="cmd icon" data-cmd="next-page" title=${t("report.nextPage")} ?disabled=${this.page >= this.pages} @click=${() => this.goto(this.page + 1)}>▶</button>
        <span class="sep"></span>
        <button class="cmd icon" data-cmd="zoom-out" title=${t("report.zoomOut")} ?disabled=${!has} @click=${() => this.step(-1)}>−</button>
        <button class="cmd zoom-info" data-cmd="zoom-reset" title=${t("report.zoomReset")} ?disabled=${!has} @click=${() => this.setZoom(100)}>${this.zoom}%</button>
        <button class="cmd icon" data-cmd="zoom-in" title=${t("report.zoomIn")} ?disabled=${!has} @click=${() => this.step(1)}>+</button>
        <span class="sep"></span>
        <input class="find" type="search" placeholder=${t("report.findPlaceholder")} .value=${this.query} ?disabled=${!has}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} @keydown=${this.onFindKey} />
        <button class="cmd" data-cmd="find" ?disabled=${!has} @click=${() => this.runFind()}>${t("report.find")}</button>
        <button class="cmd" data-cmd="find-next" ?disabled=${!has || !found?.[1]} @click=${() => this.findNext()}>${t("report.findNext")}</button>
        <span class="found ${found && !found[1] ? "none" : ""}">${found ? (found[1] ? t("report.matches", { n: found[0], m: found[1] }) : t("report.noMatches")) : ""}</span>
        <span class="spacer"></span>
        <button class="cmd" data-cmd="print" ?disabled=${!has} @click=${() => this.print()}>${t("report.printPage")}</button>
        ${this.formats.includes("pdf") ? html`<button class="cmd" data-cmd="pdf" title=${t("report.downloadPdf")} ?disabled=${!has} @click=${() => this.download("pdf")}>${t("report.pdf")}</button>` : nothing}
        ${this.formats.includes("csv") ? html`<button class="cmd" data-cmd="csv" title=${t("report.downloadCsv")} ?disabled=${!has} @click=${() => this.download("csv")}>${t("report.csv")}</button>` : nothing}
        ${this.formats.includes("xlsx") ? html`<button class="cmd" data-cmd="xlsx" title=${t("export.xlsxTip")} ?disabled=${!has} @click=${() => this.download("xlsx")}>${t("export.xlsx")}</button>` : nothing}
      </div>
      ${this.html ? html`<iframe title=${t("report.frameTitle")} sandbox="allow-same-origin allow-modals" .srcdoc=${this.html} @load=${this.onLoad}></iframe>` : nothing}
    `;
  }
}
customElements.define("report-viewer", ReportViewer);
