/**
 * 1C's keys in the tabular editor (when no cell is being edited): Ins adds a row, F9 copies
 * the current one, Del deletes it, Ctrl+Shift+↑/↓ moves it, F4 opens the picker of a
 * reference cell, Space/Enter/F2 toggle a checkbox cell. F2/Enter on other cells start
 * editing and Esc cancels: AG Grid does those itself. `isCommandKey` tells AG Grid to leave
 * our keys alone (its own Del clears a cell, Ctrl+↑ jumps to the top).
 */
import { is } from "../shell/keymap.ts";

export interface KeyTarget {
  readonly readOnly: boolean;
  isEditing(): boolean;
  focusedIndex(): number;
  focusedColumnKind(): string | undefined;
  addRow(): void;
  copyRow(): void;
  deleteRow(): void;
  moveRow(delta: number): void;
  pickIntoCell(): void;
  toggleCell(): void;
}

const moveKey = (e: KeyboardEvent) => is("rowUp", e) || is("rowDown", e);

/** The editor's own commands (the keys of shell/keymap.ts's table context). */
export function isCommandKey(e: KeyboardEvent): boolean {
  return is("rowAdd", e) || is("rowCopy", e) || is("rowDelete", e) || is("cellPick", e) || moveKey(e);
}

export function onKeyDown(target: KeyTarget, e: KeyboardEvent): void {
  if (target.isEditing() || e.altKey) return;
  const kind = target.focusedColumnKind();
  if (kind === "boolean" && (is("cellToggle", e) || is("cellEdit", e))) {
    e.preventDefault();
    e.stopPropagation();
    if (!target.readOnly) target.toggleCell();
    return;
  }
  if (!isCommandKey(e)) return;
  e.preventDefault();
  e.stopPropagation();
  if (target.readOnly) return;
  if (is("rowAdd", e)) target.addRow();
  else if (target.focusedIndex() < 0) return;
  else if (is("rowCopy", e)) target.copyRow();
  else if (is("rowDelete", e)) target.deleteRow();
  else if (is("cellPick", e)) target.pickIntoCell();
  else if (moveKey(e)) target.moveRow(is("rowUp", e) ? -1 : 1);
}
