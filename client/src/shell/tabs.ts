/**
 * What a tab holds and how its content talks to the shell. A tab has a key that is also the
 * URL hash ("#/list/catalog/Units", "#/document/Invoice/<id>", "#/document/Invoice/new/3",
 * "#/movements/Invoice/<id>", "#/register/Prices", "#/report/<form>[/<param=value&…>]",
 * "#/journal"), so a reload reopens it. Tab contents are
 * elements that fire bubbling, composed events:
 *  - `tab-title` {title, dirty}: the tab's caption changed (dirty adds "*");
 *  - `open-tab` {key}: open (or activate) another tab;
 *  - `close-tab`: close this tab (the shell asks first if it is dirty);
 *  - `tab-key` {key}: this tab now has another key (a new object got its id).
 * A content may implement `dirty`, `save()` (for the guard's "Да"), `shortcut(e)` and `focusGrid()`.
 */
import type { KeyContext } from "./keymap.ts";
export interface TabContent extends HTMLElement {
  dirty?: boolean;
  save?(): Promise<boolean>;
  shortcut?(e: KeyboardEvent): boolean;
  /** Takes the focus when the user opens it again (a list: its grid). */
  focusGrid?(): void;
  /** Where its keys work, for the keyboard map (F1, shell/keymap.ts). */
  keyContexts?(): KeyContext[];
}

export type TabRoute =
  | { view: "list"; kind: "catalog" | "document"; name: string }
  | { view: "object"; kind: "catalog" | "document"; name: string; id?: string; copyOf?: string }
  | { view: "movements"; name: string; id: string }
  | { view: "register"; name: string }
  | { view: "report"; name: string; params: Record<string, string> }
  | { view: "journal" };

let seq = 0;

export const listKey = (kind: string, name: string) => `list/${kind}/${name}`;
export const objectKey = (kind: string, name: string, id: string) => `${kind}/${name}/${id}`;
export const newKey = (kind: string, name: string, copyOf?: string) =>
  `${kind}/${name}/${copyOf ? "copy/" + copyOf : "new"}/${++seq}`;
export const movementsKey = (name: string, id: string) => `movements/${name}/${id}`;
export const registerKey = (name: string) => `register/${name}`;
export const journalKey = () => "journal";

/** The route a key names, or undefined for a malformed one. */
export function parseKey(key: string): TabRoute | undefined {
  const p = key.split("/").filter(Boolean);
  if (p[0] === "list" && (p[1] === "catalog" || p[1] === "document") && p[2])
    return { view: "list", kind: p[1], name: p[2] };
  if (p[0] === "movements" && p[1] && p[2]) return { view: "movements", name: p[1], id: p[2] };
  if (p[0] === "register" && p[1]) return { view: "register", name: p[1] };
  if (p[0] === "report" && p[1] && /^[a-z0-9][a-z0-9_-]*$/i.test(p[1]))
    return { view: "report", name: p[1], params: Object.fromEntries(new URLSearchParams(p[2] ?? "")) };
  if (p[0] === "journal" && !p[1]) return { view: "journal" };
  if ((p[0] === "catalog" || p[0] === "document") && p[1]) {
    if (!p[2] || p[2] === "new") return { view: "object", kind: p[0], name: p[1] };
    if (p[2] === "copy" && p[3]) return { view: "object", kind: p[0], name: p[1], copyOf: p[3] };
    return { view: "object", kind: p[0], name: p[1], id: p[2] };
  }
  return undefined;
}

/** Fires one of the protocol's events from a tab content. */
export function emit(
  from: HTMLElement,
  type: "tab-title" | "open-tab" | "close-tab" | "tab-key",
  detail?: unknown,
): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** Tells every open list that objects of kind/name changed (written, marked, posted). */
export function announceChange(kind: string, name: string): void {
  window.dispatchEvent(new CustomEvent("objects-changed", { detail: { kind, name } }));
}
