/**
 * CSV export of a form whose manifest has a `csv` section: the rows array of the template's
 * context and the columns to take from each row. Written for a Russian spreadsheet: UTF-8 with
 * a byte-order mark, ";" between fields, CRLF, numbers with a decimal comma and no thousands
 * separator, dates dd.MM.yyyy. Stored text that a spreadsheet would run as a formula is
 * neutralized with a leading apostrophe (neutralize); numbers are left as numbers.
 */
import { stringify } from "csv-stringify/sync";
import { AppError } from "../errors.ts";
import { formatDate, formatMonth, formatNumber } from "./format.ts";
import type { CsvColumn, Manifest } from "./manifest.ts";

/** The value at a dotted path ("account.code") of an object. */
export function valueAt(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split(".")) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

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

function cell(v: unknown, c: CsvColumn): string {
  if (v === null || v === undefined) return "";
  switch (c.format) {
    case "money":
      return formatNumber(v, { places: 2, thousands: "" });
    case "quantity":
      return formatNumber(v, { thousands: "" });
    case "integer":
      return formatNumber(v, { places: 0, thousands: "" });
    case "date":
      return formatDate(v);
    case "month":
      return formatMonth(v);
    default:
      return typeof v === "number" || typeof v === "bigint" ? String(v) : neutralize(String(v));
  }
}

export function toCsv(m: Manifest, context: Record<string, unknown>): string {
  if (!m.csv)
    throw new AppError(
      400,
      "no_csv",
      `Форма «${m.title}» не выгружается в CSV (в manifest.yaml нет раздела csv)`,
      "format",
    );
  const rows = valueAt(context, m.csv.rows);
  if (!Array.isArray(rows))
    throw new AppError(
      500,
      "form_error",
      `Форма «${m.name}»: csv.rows «${m.csv.rows}» — не массив в контексте шаблона`,
    );
  const cols = m.csv.columns;
  return (
    "\ufeff" +
    stringify([cols.map((c) => c.title), ...rows.map((r) => cols.map((c) => cell(valueAt(r, c.value), c)))], {
      delimiter: ";",
      record_delimiter: "windows",
    })
  );
}
