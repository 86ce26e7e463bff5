/**
 * CSV export of a form whose manifest has a `csv` section: the rows array of the template's
 * context and the columns to take from each row. Written for a Russian spreadsheet: UTF-8 with
 * a byte-order mark, ";" between fields, CRLF, numbers with a decimal comma and no thousands
 * separator, dates dd.MM.yyyy. Stored text that a spreadsheet would run as a formula is
 * neutralized with a leading apostrophe (neutralize); numbers are left as numbers.
 */
import { AppError } from "../errors.ts";
import { toCsv as tableCsv, type ExportTable } from "../export/table.ts";
import type { Manifest } from "./manifest.ts";

/** The value at a dotted path ("account.code") of an object. */
export function valueAt(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split(".")) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export { neutralize } from "../export/table.ts";

/**
 * The table a form exports (CSV and Excel alike, server/export/table.ts): the manifest's csv
 * columns over the rows array of the template's context.
 */
export function reportTable(m: Manifest, context: Record<string, unknown>): ExportTable {
  if (!m.csv)
    throw new AppError(
      400,
      "no_csv",
      `Форма «${m.title}» не выгружается в CSV и Excel (в manifest.yaml нет раздела csv)`,
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
  return {
    title: m.title,
    columns: cols.map((c) => ({ title: c.title, kind: c.format })),
    rows: rows.map((r) => cols.map((c) => valueAt(r, c.value))),
  };
}

export function toCsv(m: Manifest, context: Record<string, unknown>): string {
  return tableCsv(reportTable(m, context));
}
