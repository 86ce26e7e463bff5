/**
 * Pasting a block copied from a spreadsheet: tab-separated cells, one line per row (Excel and
 * LibreOffice put a line break after the last row; quoted cells with tabs or line breaks
 * inside are understood). The block lands at the focused cell and runs right over the
 * editable columns and down over the rows, adding rows past the end. Numbers take Russian
 * commas, dates dd.mm.yyyy, enums their synonym, booleans Да/Нет, and references are looked
 * up in their catalog by the pasted code or name (one request per distinct text). A cell that
 * cannot be taken keeps its old value and is reported with its row and column — nothing is
 * dropped silently.
 */
import { t } from "../i18n/index.ts";
import { bestMatch, searchRefs, type RefItem } from "../widgets/ref-search.ts";
import type { FieldMeta, Metadata } from "../widgets/types.ts";
import type { ColumnSpec } from "./types.ts";
import { parseText, type Parsed } from "./values.ts";

/** Tab-separated text → rows of cells (RFC-4180-style quotes as spreadsheets write them). */
export function parseClipboard(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  const s = text.replace(/\r\n?/g, "\n");
  let atCellStart = true;
  while (i < s.length) {
    const ch = s[i];
    if (atCellStart && ch === '"') {
      const end = closingQuote(s, i);
      if (end > 0) {
        cell = s.slice(i + 1, end).replace(/""/g, '"');
        i = end + 1;
        atCellStart = false;
        continue;
      }
    }
    atCellStart = false;
    if (ch === "\t") {
      row.push(cell);
      cell = "";
      atCellStart = true;
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      atCellStart = true;
    } else cell += ch;
    i++;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The index of the quote closing a quoted cell that starts at `start`, if the cell ends there. */
function closingQuote(s: string, start: number): number {
  for (let j = start + 1; j < s.length; j++) {
    if (s[j] !== '"') continue;
    if (s[j + 1] === '"') {
      j++;
      continue;
    }
    return j + 1 >= s.length || s[j + 1] === "\t" || s[j + 1] === "\n" ? j : -1;
  }
  return -1;
}

export interface CellIssue {
  row: number;
  column: string;
  message: string;
}

export interface PastePlan {
  /** Values by target row index (0-based, may be past the end) and column name. */
  values: Map<number, Record<string, unknown>>;
  issues: CellIssue[];
  presentations: Record<string, string>;
  extraColumns: number;
}

const CONCURRENCY = 6;

async function resolveRefs(
  field: FieldMeta,
  texts: string[],
  cache: Map<string, RefItem | null | "many">,
): Promise<void> {
  const ty = field.type;
  if (ty.kind !== "ref" || ty.target === "enum") return;
  const kind = ty.target === "document" ? "document" : "catalog";
  const todo = texts.filter((x) => !cache.has(`${ty.name}\u0000${x}`));
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const text = todo[next++];
      let found: RefItem | null | "many" = null;
      try {
        const items = await searchRefs(kind, ty.name, text, 50);
        found = bestMatch(items, text) ?? (items.length > 1 ? "many" : null);
      } catch {
        found = null;
      }
      cache.set(`${ty.name}\u0000${text}`, found);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
}

/**
 * Works out what a pasted block writes: `columns` are the editable columns in display
 * order, the block starts at row `startRow` and column index `startCol` among them.
 */
export async function planPaste(
  text: string,
  columns: ColumnSpec[],
  startRow: number,
  startCol: number,
  md?: Metadata,
): Promise<PastePlan> {
  const block = parseClipboard(text);
  const plan: PastePlan = { values: new Map(), issues: [], presentations: {}, extraColumns: 0 };
  const cache = new Map<string, RefItem | null | "many">();
  // references first: every distinct text of every reference column, looked up in parallel
  const wanted = new Map<FieldMeta, Set<string>>();
  block.forEach((cells) =>
    cells.forEach((raw, j) => {
      const f = columns[startCol + j]?.field;
      if (f && f.type.kind === "ref" && f.type.target !== "enum" && raw.trim() !== "") {
        if (!wanted.has(f)) wanted.set(f, new Set());
        wanted.get(f)!.add(raw.trim());
      }
    }),
  );
  await Promise.all([...wanted].map(([f, set]) => resolveRefs(f, [...set], cache)));

  block.forEach((cells, i) => {
    const r = startRow + i;
    const out: Record<string, unknown> = {};
    cells.forEach((raw, j) => {
      const spec = columns[startCol + j];
      if (!spec?.field) {
        if (raw.trim() !== "")
          plan.extraColumns = Math.max(plan.extraColumns, cells.length - (columns.length - startCol));
        return;
      }
      const f = spec.field;
      let p: Parsed;
      if (f.type.kind === "ref" && f.type.target !== "enum") {
        const text = raw.trim();
        if (text === "") p = { value: null };
        else {
          const hit = cache.get(`${f.type.name}\u0000${text}`);
          if (hit === "many") p = { error: t("tabular.err.ambiguous", { text }) };
          else if (!hit) p = { error: t("tabular.err.notFound", { text }) };
          else {
            plan.presentations[hit.id] = hit.presentation;
            p = { value: hit.id };
          }
        }
      } else p = parseText(f, raw, md);
      if ("error" in p) plan.issues.push({ row: r, column: spec.name, message: p.error });
      else out[spec.name] = p.value === null && f.type.kind === "boolean" ? false : p.value;
    });
    plan.values.set(r, out);
  });
  return plan;
}
