/**
 * One table, two files: the export of a list, a report or a tabular part as CSV or Excel
 * (.xlsx). Whatever is exported is first put in the shape of an ExportTable — the columns with
 * their Russian titles and kinds, and the rows' values — and then written by toCsv or toXlsx, so
 * lists, reports and tabular parts share one code path.
 *
 * CSV is written for a Russian spreadsheet (as server/reports/csv.ts): UTF-8 with a byte-order
 * mark, ";" between fields, CRLF, numbers with a decimal comma and no thousands separator, dates
 * dd.MM.yyyy, formula-like text neutralized. Excel keeps the types: numbers are numbers with their
 * number format (money «#,##0.00», quantities with their decimals, integers «0»), dates are real
 * dates («dd.mm.yyyy», «dd.mm.yyyy hh:mm:ss», «mmmm yyyy» for months), booleans «Да»/«Нет»; the
 * header row is bold and frozen, columns are as wide as their content (within limits).
 */

import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import type { ExportColumn, ExportFormat, ExportKind } from "../http/api-types.ts";
import { formatDate, formatMonth, formatNumber, toDecimal } from "../reports/format.ts";

/** What a spreadsheet takes for the start of a formula (OWASP «CSV Injection»). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (with a decimal point or comma): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+([.,]\d+)?$/;

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first: «=HYPERLINK(…)»,
 * «-2+3+cmd|…») gets a leading apostrophe, so it is shown as the text it is. Numbers — a
 * formatted amount «-12,50» or a plain "-12.50" — stay as they are.
 */
export function neutralize(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? "'" + text : text;
}

export const EXPORT_KINDS: readonly ExportKind[] = [
  "text",
  "money",
  "quantity",
  "integer",
  "date",
  "datetime",
  "month",
  "boolean",
];
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

export interface ExportTable {
  /** The sheet's name (Excel allows 31 characters and no []:*?/\). */
  title: string;
  columns: ExportColumn[];
  /** Values in the columns' order: numbers as number, string, bigint or Decimal; dates as Date or ISO text. */
  rows: unknown[][];
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_TYPE = "text/csv; charset=utf-8";

const blank = (v: unknown) => v === null || v === undefined || v === "";

/** A date as the calendar shows it (no time zone shift): UTC midnight (plus the time) of that day. */
function asDate(v: unknown, withTime: boolean): Date | null {
  if (v instanceof Date) return v;
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(String(v));
  if (!m) return null;
  const [y, mo, d, hh, mi, ss] = m.slice(1).map((x) => Number(x ?? 0));
  return new Date(Date.UTC(y, mo - 1, d || 1, withTime ? hh : 0, withTime ? mi : 0, withTime ? ss : 0));
}

function csvCell(v: unknown, c: ExportColumn): string {
  if (blank(v)) return "";
  switch (c.kind) {
    case "money":
      return formatNumber(v, { places: 2, thousands: "" });
    case "quantity":
      return formatNumber(v, { places: c.scale, thousands: "" });
    case "integer":
      return formatNumber(v, { places: 0, thousands: "" });
    case "date":
      return formatDate(v);
    case "datetime":
      return formatDate(v, "dd.MM.yyyy HH:mm:ss");
    case "month":
      return formatMonth(v);
    case "boolean":
      return v === true || v === "true" ? "Да" : "Нет";
    default:
      return typeof v === "number" || typeof v === "bigint" ? String(v) : neutralize(String(v));
  }
}

export function toCsv(t: ExportTable): string {
  return (
    "\ufeff" +
    stringify([t.columns.map((c) => c.title), ...t.rows.map((r) => t.columns.map((c, i) => csvCell(r[i], c)))], {
      delimiter: ";",
      record_delimiter: "windows",
    })
  );
}

/** Excel's number format of a column. */
function numFmt(c: ExportColumn): string | undefined {
  switch (c.kind) {
    case "money":
      return "#,##0.00";
    case "quantity":
      return c.scale ? `#,##0.${"0".repeat(c.scale)}` : "#,##0.########";
    case "integer":
      return "0";
    case "date":
      return "dd.mm.yyyy";
    case "datetime":
      return "dd.mm.yyyy hh:mm:ss";
    case "month":
      return "mmmm yyyy";
    default:
      return undefined;
  }
}

/** A cell's value of the column's kind: a number, a Date, a boolean's word or the text. */
function xlsxCell(v: unknown, c: ExportColumn): ExcelJS.CellValue {
  if (blank(v)) return null;
  switch (c.kind) {
    case "money":
    case "quantity":
    case "integer": {
      const d = toDecimal(v);
      return d === null ? null : d.toNumber();
    }
    case "date":
    case "month":
      return asDate(v, false) ?? String(v);
    case "datetime":
      return asDate(v, true) ?? String(v);
    case "boolean":
      return v === true || v === "true" ? "Да" : "Нет";
    default:
      return typeof v === "number" ? v : String(v);
  }
}

/** The text a column's cell shows, for its width. */
function shownWidth(v: unknown, c: ExportColumn): number {
  if (blank(v)) return 0;
  if (c.kind === "date") return 10;
  if (c.kind === "datetime") return 19;
  if (c.kind === "month") return 14;
  return csvCell(v, c).length + (c.kind === "money" ? Math.floor(csvCell(v, c).length / 3) : 0);
}

/** Excel's sheet name: at most 31 characters, none of []:*?/\. */
export function sheetName(title: string): string {
  return (
    title
      .replace(/[[\]:*?/\\]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 31) || "Лист1"
  );
}

export async function toXlsx(t: ExportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "";
  const ws = wb.addWorksheet(sheetName(t.title), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = t.columns.map((c, i) => {
    // as wide as the title and the widest of the first thousand values, from 6 to 60 characters
    let w = c.title.length;
    for (const r of t.rows.slice(0, 1000)) w = Math.max(w, shownWidth(r[i], c));
    const fmt = numFmt(c);
    return { header: c.title, width: Math.min(60, Math.max(6, w + 2)), ...(fmt ? { style: { numFmt: fmt } } : {}) };
  });
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.numFmt = "@";
    cell.alignment = { vertical: "middle", wrapText: false };
  });
  for (const r of t.rows) ws.addRow(t.columns.map((c, i) => xlsxCell(r[i], c)));
  if (t.rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The file of a table in a format, with its type. */
export async function exportFile(
  t: ExportTable,
  format: ExportFormat,
): Promise<{ contentType: string; body: Buffer | string }> {
  return format === "xlsx"
    ? { contentType: XLSX_TYPE, body: await toXlsx(t) }
    : { contentType: CSV_TYPE, body: toCsv(t) };
}
