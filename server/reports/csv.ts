/**
 * CSV export of a form whose manifest has a `csv` section: the rows array of the template's
 * context and the columns to take from each row. Written for a Russian spreadsheet: UTF-8 with
 * a byte-order mark, ";" between fields, CRLF, numbers with a decimal comma and no thousands
 * separator, dates dd.MM.yyyy.
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

function cell(v: unknown, c: CsvColumn): string {
  if (v === null || v === undefined) return "";
  switch (c.format) {
    case "money": return formatNumber(v, { places: 2, thousands: "" });
    case "quantity": return formatNumber(v, { thousands: "" });
    case "integer": return formatNumber(v, { places: 0, thousands: "" });
    case "date": return formatDate(v);
    case "month": return formatMonth(v);
    default: return String(v);
  }
}

export function toCsv(m: Manifest, context: Record<string, unknown>): string {
  if (!m.csv) throw new AppError(400, "no_csv", `Форма «${m.title}» не выгружается в CSV (в manifest.yaml нет раздела csv)`, "format");
  const rows = valueAt(context, m.csv.rows);
  if (!Array.isArray(rows)) throw new AppError(500, "form_error", `Форма «${m.name}»: csv.rows «${m.csv.rows}» — не массив в контексте шаблона`);
  const cols = m.csv.columns;
  return "\ufeff" + stringify([cols.map((c) => c.title), ...rows.map((r) => cols.map((c) => cell(valueAt(r, c.value), c)))], { delimiter: ";", record_delimiter: "windows" });
}
