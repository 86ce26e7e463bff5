/**
 * The HTML document of a rendered form, the same for the screen and for Chromium's PDF. Its
 * shape is what a report viewer relies on:
 *  - <main class="report" data-report="name"> holds the sheets; each sheet is a
 *    <section class="report-page"> (the template writes them; a template that writes none gets
 *    its whole output wrapped in one). Pages = the sheets; Find searches their text.
 *  - The paper is in CSS variables on .report (--page-width, --page-height, --page-margin): on
 *    screen each sheet is drawn as paper of that size, so a viewer zooms by scaling .report.
 *  - Tabular reports may use the shell's classes: .report-title, .report-subtitle, table.grid
 *    (rows .group, .sub, .total), .num for figures.
 *  - In print (PDF) @page takes the size and margins and every sheet starts a new page; a long
 *    table inside one sheet runs on over several pages with its <thead> repeated.
 */
import type { PageSetup } from "./manifest.ts";

const PAPER: Record<string, [number, number]> = {
  A3: [297, 420],
  A4: [210, 297],
  A5: [148, 210],
  Letter: [216, 279],
  Legal: [216, 356],
};

export function paperSize(p: PageSetup): { width: string; height: string } {
  const [w, h] = PAPER[p.size] ?? PAPER.A4;
  return p.orientation === "landscape" ? { width: `${h}mm`, height: `${w}mm` } : { width: `${w}mm`, height: `${h}mm` };
}

const BASE_CSS = `
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:9pt;color:#000;-webkit-print-color-adjust:exact;print-color-adjust:exact}
table{border-collapse:collapse}
thead{display:table-header-group}
tr{break-inside:avoid}
.num{text-align:right;white-space:nowrap}
.report-page{break-after:page;position:relative}
.report-title{font-size:12pt;font-weight:bold;margin:0 0 1.5mm}
.report-subtitle{margin:0 0 3mm;color:#222}
table.grid{width:100%}
table.grid th,table.grid td{border:.5pt solid #000;padding:.5mm 1.2mm;vertical-align:top}
table.grid th{background:#eee;font-weight:normal}
table.grid tr.group td{font-weight:bold;background:#f4f4f4}
table.grid tr.sub td{color:#333}
table.grid tr.sub td:first-child{padding-left:5mm}
table.grid tr.total td{font-weight:bold}
.report-page:last-child{break-after:auto}
@media screen{
  body{background:#e8e8e8}
  .report{padding:8mm 0}
  .report-page{width:var(--page-width);min-height:var(--page-height);padding:var(--page-margin);margin:0 auto 8mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.3)}
}`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The whole document around a template's output. */
export function htmlDocument(o: { name: string; title: string; page: PageSetup; style: string; body: string }): string {
  const { width, height } = paperSize(o.page);
  const body = o.body.includes('class="report-page') ? o.body : `<section class="report-page">${o.body}</section>`;
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(o.title)}</title>
<style>@page{size:${o.page.size} ${o.page.orientation};margin:${o.page.margin}}
.report{--page-width:${width};--page-height:${height};--page-margin:${o.page.margin}}${BASE_CSS}
${o.style}</style></head>
<body><main class="report" data-report="${escapeHtml(o.name)}">
${body}
</main></body></html>
`;
}

/** How many sheets a document has (the viewer's page count before layout). */
export const sheetCount = (html: string) => html.split('class="report-page').length - 1;
