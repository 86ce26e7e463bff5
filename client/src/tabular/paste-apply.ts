/**
 * Applies a pasted block (planned by paste.ts) to the editor: existing rows are updated in
 * place and new rows appended by grid transactions, computed columns recomputed, the cells
 * that could not be taken marked with their message, and one rows-changed for the whole block.
 */
import { t } from "../i18n/index.ts";
import { planPaste } from "./paste.ts";
import type { TabularPart } from "./tabular-part.ts";
import type { GridRow } from "./types.ts";

/** Pastes a spreadsheet block at the focused cell (the first editable column if none). */
export async function pasteInto(part: TabularPart, text: string): Promise<void> {
  const cols = part.specs.filter((s) => s.editable);
  const f = part.api?.getFocusedCell();
  const startRow = f && !f.rowPinned ? f.rowIndex : part.data.length;
  const startCol = Math.max(
    0,
    cols.findIndex((s) => s.name === f?.column.getColId()),
  );
  const plan = await planPaste(text, cols, startRow, startCol, part.metadata);
  Object.assign(part.known, plan.presentations);
  const update: GridRow[] = [];
  const added: GridRow[] = [];
  for (const [r, values] of [...plan.values].sort((a, b) => a[0] - b[0])) {
    const row = r < part.data.length ? part.data[r] : part.emptyRow();
    Object.assign(row, values);
    for (const k of Object.keys(values)) part.errors.delete(row._rid + "|" + k);
    part.storeComputed(row);
    (r < part.data.length ? update : added).push(row);
  }
  if (update.length) part.api?.applyTransaction({ update });
  if (added.length) part.insert(added, part.data.length);
  part.messages = [];
  for (const is of plan.issues) {
    const spec = part.specs.find((s) => s.name === is.column);
    part.markError(
      part.data[is.row]._rid,
      is.column,
      t("tabular.pasteCell", { line: is.row + 1, column: spec?.synonym ?? is.column, message: is.message }),
    );
  }
  if (plan.extraColumns)
    part.messages = [...part.messages, { text: t("tabular.pasteExtra", { n: plan.extraColumns }) }];
  if (!part.messages.length) {
    part.messageKind = "info";
    part.messages = [{ text: t("tabular.pasted", { rows: plan.values.size, added: added.length }) }];
  }
  part.api?.refreshCells({ rowNodes: update.map((r) => part.api!.getRowNode(r._rid)!).filter(Boolean), force: true });
  part.changed();
}
