/**
 * Export of what a grid shows to CSV or Excel through the server's one table writer
 * (server/export/table.ts): a list by its route (GET …?format=csv|xlsx with the list's filters,
 * sort and visible columns), a table the client holds (a tabular part) by POST /api/export with
 * its columns' kinds, so numbers stay numbers and dates dates in the file. The file is saved
 * under a name from its content (the server's name, else the given one).
 */
import type { ExportColumn, ExportFormat, ExportKind } from "../../../server/http/api-types.ts";
import { fileAnswer } from "../api.ts";
import { csrfHeader } from "../auth/session.ts";
import { fileNameOf, saveBlob } from "../reports/api.ts";
import type { FieldMeta, Metadata, Refs } from "../widgets/types.ts";

export interface ExportTable {
  title: string;
  columns: ExportColumn[];
  rows: (string | number | boolean | null)[][];
}

/** The kind of a field's column: money for two decimals, integers, quantities with their scale. */
export function exportKind(f: FieldMeta | undefined, decimals?: number): { kind: ExportKind; scale?: number } {
  const t = f?.type;
  if (!t) return decimals === undefined ? { kind: "text" } : kindOfScale(decimals);
  if (t.kind === "number") return kindOfScale(decimals ?? t.scale);
  if (t.kind === "date") return { kind: "date" };
  if (t.kind === "datetime") return { kind: "datetime" };
  if (t.kind === "boolean") return { kind: "boolean" };
  return { kind: "text" };
}

function kindOfScale(scale: number): { kind: ExportKind; scale?: number } {
  return scale === 0 ? { kind: "integer" } : scale === 2 ? { kind: "money" } : { kind: "quantity", scale };
}

/** A cell's value for the file: references by presentation, enum values by synonym, the rest as is. */
export function exportValue(
  f: FieldMeta | undefined,
  v: unknown,
  refs: Refs,
  md?: Metadata,
): string | number | boolean | null {
  if (v === undefined || v === null || v === "") return null;
  const t = f?.type;
  if (t?.kind === "ref") {
    if (t.target === "enum")
      return md?.enums.find((e) => e.name === t.name)?.values.find((x) => x.name === v)?.synonym ?? String(v);
    return refs[String(v)] ?? String(v);
  }
  if (typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

/** A file name without characters a file system refuses. */
export function safeName(name: string): string {
  return name
    .replace(/[\\/:*?"<>|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

async function save(r: Response, fallback: string): Promise<void> {
  saveBlob(await (await fileAnswer(r)).blob(), fileNameOf(r, fallback));
}

/** Downloads a list route's file (`path` under /api with its query, format included). */
export async function downloadList(path: string, fallback: string): Promise<void> {
  await save(await fetch("/api" + path, { headers: { accept: "*/*" } }), fallback);
}

/** Writes a table the client holds as a file named `name` (without the extension). */
export async function downloadTable(table: ExportTable, format: ExportFormat, name: string): Promise<void> {
  const file = safeName(name) || "export";
  const r = await fetch(`/api/export?format=${format}&name=${encodeURIComponent(file)}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "*/*", ...csrfHeader() },
    body: JSON.stringify(table),
  });
  await save(r, `${file}.${format}`);
}
