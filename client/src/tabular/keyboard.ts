/**
 * 1C's keys in the tabular editor (when no cell is being edited): Ins adds a row, F9 copies
 * the current one, Del deletes it, Ctrl+Shift+↑/↓ moves it, F4 opens the picker of a
 * reference cell, Space/Enter/F2 toggle a checkbox cell. F2/Enter on other cells start
 * editing and Esc cancels: AG Grid does those itself. `isCommandKey` tells AG Grid to leave
 * our keys alone (its own Del clears a cell, Ctrl+↑ jumps to the top).
 */
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

const moveKey = (e: KeyboardEvent) => e.ctrlKey && e.shiftKey && (e.key === "ArrowUp" || e.key === "ArrowDown");

export function isCommandKey(e: KeyboardEvent): boolean {
  return e.key === "Insert" || e.key === "F9" || e.key === "Delete" || e.key === "F4" || moveKey(e);
}

export function onKeyDown(target: KeyTarget, e: KeyboardEvent): void {
  if (target.isEditing() || e.altKey) return;
  const kind = target.focusedColumnKind();
  if (kind === "boolean" && (e.key === " " || e.key === "Enter" || e.key === "F2")) {
    e.preventDefault();
    e.stopPropagation();
    if (!target.readOnly) target.toggleCell();
    return;
  }
  if (!isCommandKey(e)) return;
  e.preventDefault();
  e.stopPropagation();
  if (target.readOnly) return;
  if (e.key === "Insert") target.addRow();
  else if (target.focusedIndex() < 0) return;
  else if (e.key === "F9") target.copyRow();
  else if (e.key === "Delete") target.deleteRow();
  else if (e.key === "F4") target.pickIntoCell();
  else if (moveKey(e)) target.moveRow(e.key === "ArrowUp" ? -1 : 1);
}
