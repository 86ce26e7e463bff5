/**
 * The one table of the client's keys, as in 1C: each binding's context (the list, an object or
 * document form, a tabular part, the whole window), the keys as shown, the command's name, and
 * the test a handler asks (`is(binding, event)`). The handlers of list-form.ts, form-base.ts,
 * app-shell.ts and tabular/keyboard.ts match keys through this table, and F1 shows it
 * (keymap-dialog.ts) for the current form — so the map the user reads is the map the code runs.
 */
export type KeyContext = "list" | "object" | "document" | "form" | "table" | "window";

export interface KeyBinding {
  context: KeyContext;
  /** The keys as the map shows them. */
  keys: string[];
  /** The command's name (a dictionary key of i18n/forms.ts). */
  label: string;
  match(e: KeyboardEvent): boolean;
}

const key =
  (...names: string[]) =>
  (e: KeyboardEvent) =>
    !e.ctrlKey && !e.metaKey && !e.altKey && names.includes(e.key);
const ctrl =
  (...names: string[]) =>
  (e: KeyboardEvent) =>
    (e.ctrlKey || e.metaKey) && !e.altKey && names.includes(e.key);
const ctrlShift = (name: string) => (e: KeyboardEvent) => e.ctrlKey && e.shiftKey && !e.altKey && e.key === name;

export const KEYS = {
  // a list of catalog items or documents (list-form.ts)
  listCreate: { context: "list", keys: ["Ins"], label: "keys.create", match: key("Insert") },
  listOpen: { context: "list", keys: ["Enter", "F2"], label: "keys.open", match: key("Enter", "F2") },
  listCopy: { context: "list", keys: ["F9"], label: "keys.copy", match: key("F9") },
  listMark: { context: "list", keys: ["Del"], label: "keys.mark", match: key("Delete") },
  // an object or document form (form-base.ts; Ctrl+S and Ctrl+Enter reach the form through the shell)
  formWrite: { context: "form", keys: ["Ctrl+S"], label: "keys.write", match: ctrl("s", "S", "ы", "Ы") },
  formOk: { context: "object", keys: ["Ctrl+Enter"], label: "keys.writeClose", match: ctrl("Enter") },
  docOk: { context: "document", keys: ["Ctrl+Enter"], label: "keys.postClose", match: ctrl("Enter") },
  formClose: { context: "form", keys: ["Esc"], label: "keys.close", match: key("Escape") },
  // a tabular part (tabular/keyboard.ts)
  rowAdd: { context: "table", keys: ["Ins"], label: "keys.rowAdd", match: key("Insert") },
  rowCopy: { context: "table", keys: ["F9"], label: "keys.rowCopy", match: key("F9") },
  rowDelete: { context: "table", keys: ["Del"], label: "keys.rowDelete", match: key("Delete") },
  rowUp: { context: "table", keys: ["Ctrl+Shift+↑"], label: "keys.rowUp", match: ctrlShift("ArrowUp") },
  rowDown: { context: "table", keys: ["Ctrl+Shift+↓"], label: "keys.rowDown", match: ctrlShift("ArrowDown") },
  cellPick: { context: "table", keys: ["F4"], label: "keys.pick", match: key("F4") },
  cellEdit: { context: "table", keys: ["F2", "Enter"], label: "keys.edit", match: key("F2", "Enter") },
  cellToggle: { context: "table", keys: ["Пробел"], label: "keys.toggle", match: key(" ") },
  cellCancel: { context: "table", keys: ["Esc"], label: "keys.cancel", match: key("Escape") },
  // everywhere (app-shell.ts)
  help: { context: "window", keys: ["F1"], label: "keys.help", match: key("F1") },
} satisfies Record<string, KeyBinding>;

export type KeyName = keyof typeof KEYS;

/** Whether the event is the binding's key. */
export const is = (name: KeyName, e: KeyboardEvent): boolean => KEYS[name].match(e);

/** The bindings of the contexts, in the table's order (for the map). */
export function bindingsOf(contexts: KeyContext[]): KeyBinding[] {
  return contexts.flatMap((c) => Object.values(KEYS as Record<string, KeyBinding>).filter((b) => b.context === c));
}

/** The keys of a binding as a tooltip's suffix: « (Ins)». */
export const keysOf = (name: KeyName): string => KEYS[name].keys.join(", ");
