/**
 * Commands of the tabular editor that open a dialog: Подбор (multi-pick rows from the pick
 * column's catalog), F4 on a reference cell (the full picker), Очистить (asks first), and the
 * export of the rows to Excel or CSV.
 */
import type { ExportFormat } from "../../../server/http/api-types.ts";
import { downloadTable, exportKind, exportValue } from "../export/export.ts";
import { t } from "../i18n/index.ts";
import { confirmDialog } from "../widgets/dialog.ts";
import { openPicker } from "../widgets/picker.ts";
import type { TabularPart } from "./tabular-part.ts";
import type { ColumnSpec } from "./types.ts";

/** F4 on a reference cell (not editing): the full picker writes its choice into the cell. */
export async function pickIntoCell(part: TabularPart): Promise<void> {
  const i = part.focusedIndex();
  const spec = part.specs.find((s) => s.name === part.focusedColumn());
  const ty = spec?.field?.type;
  if (i < 0 || !spec?.editable || ty?.kind !== "ref" || ty.target === "enum") return;
  const rid = part.data[i]._rid;
  const [it] = await openPicker({
    catalog: ty.name,
    kind: ty.target === "document" ? "document" : "catalog",
    multi: false,
  });
  if (!it) return;
  part.rememberRef(it.id, it.presentation);
  part.api?.getRowNode(rid)?.setDataValue(spec.name, it.id);
  part.focusRid(rid, spec.name);
}

/** The column Подбор fills: `pickColumn` if it is a reference, else the first catalog reference. */
export function pickSpec(part: TabularPart): ColumnSpec | undefined {
  const refCol = (s: ColumnSpec) => s.editable && s.field?.type.kind === "ref" && s.field.type.target !== "enum";
  return part.specs.find((s) => s.name === part.pickColumn && refCol(s)) ?? part.specs.find(refCol);
}

/** Подбор: a multi-select picker over the pick column's catalog; a new row per chosen item. */
export async function pickRows(part: TabularPart): Promise<void> {
  const spec = pickSpec(part);
  const ty = spec?.field?.type;
  if (!spec || ty?.kind !== "ref") return;
  const items = await openPicker({
    catalog: ty.name,
    kind: ty.target === "document" ? "document" : "catalog",
    multi: true,
    title: `${t("tabular.pick")}: ${spec.synonym}`,
  });
  if (!items.length) return;
  const rows = items.map((it) => {
    part.rememberRef(it.id, it.presentation);
    return { ...part.emptyRow(), [spec.name]: it.id };
  });
  const at = part.data.length;
  part.insert(rows, at);
  part.changed();
  part.focusRow(part.data.length - 1, spec.name);
}

/** Очистить: after a yes to the question, no rows. */
export async function clearRows(part: TabularPart): Promise<void> {
  if (
    !part.data.length ||
    !(await confirmDialog(t("tabular.clearConfirm", { name: part.meta?.synonym ?? "", n: part.data.length })))
  )
    return;
  part.data = [];
  part.errors.clear();
  part.messages = [];
  part.api?.setGridOption("rowData", part.data);
  part.changed();
}

/** The caption of the form that holds `el` (its tab's title), for the file's name. */
function ownerCaption(el: Element): string {
  let n: Node | null = el;
  while (n) {
    const c = (n as { caption?: unknown }).caption;
    if (typeof c === "function") return String(c.call(n));
    n = n.parentNode ?? (n as ShadowRoot).host ?? null;
  }
  return "";
}

/**
 * Excel or CSV of the rows as they stand (unsaved edits included), columns in the grid's order
 * with their kinds; named «<the form's title> <the part's synonym>».
 */
export async function exportPart(part: TabularPart, format: ExportFormat): Promise<void> {
  part.commitEdit();
  const shown = part.api?.getAllDisplayedColumns().map((c) => c.getColId()) ?? [];
  const specs = shown.length
    ? shown.map((id) => part.specs.find((s) => s.name === id)).filter((s): s is ColumnSpec => !!s)
    : part.specs;
  const refs = { ...part.refs, ...part.known };
  const synonym = part.meta?.synonym ?? "";
  const table = {
    title: synonym,
    columns: [
      { title: t("tabular.lineNo"), kind: "integer" as const },
      ...specs.map((s) => ({ title: s.synonym, ...exportKind(s.field, s.decimals) })),
    ],
    rows: part.data.map((r, i) => [
      i + 1,
      ...specs.map((s) => exportValue(s.field, s.computed ? s.computed.compute(r) : r[s.name], refs, part.metadata)),
    ]),
  };
  try {
    await downloadTable(table, format, `${ownerCaption(part)} ${synonym}`);
  } catch (e) {
    part.messageKind = "error";
    part.messages = [{ text: t("export.failed", { message: (e as Error).message }) }];
  }
}
