/**
 * Type-ahead over a catalog (or document) list: the logic shared by <ref-input> and the
 * tabular editor's reference cell editor. It watches an <input>, queries the list API with
 * ?search= (name or code, as the server's list does) after a short pause, shows a dropdown
 * under the input, and lets the owner route keys to it: ↑/↓ move the highlight, Enter picks,
 * Esc closes. The first result is highlighted, so Enter takes the best match at once.
 * `settle()` waits for the search in flight, so an Enter typed faster than the server
 * answers still picks what was typed.
 */
import { get } from "../api.ts";
import { t } from "../i18n/index.ts";
import { listPath, type ListKind } from "./types.ts";

export interface RefItem {
  id: string;
  presentation: string;
  row: Record<string, unknown>;
}

export interface ListAnswer {
  rows: Array<Record<string, unknown>>;
  total: number;
  refs: Record<string, string>;
}

export const itemOf = (row: Record<string, unknown>): RefItem => ({
  id: String(row.id),
  presentation: String(row.presentation ?? row.name ?? row.id),
  row,
});

/** One page of a catalog's (document's) list whose name or code contains `text`. */
export async function searchRefs(
  kind: ListKind,
  name: string,
  text: string,
  limit = 20,
  signal?: AbortSignal,
): Promise<RefItem[]> {
  const q = new URLSearchParams({ limit: String(limit) });
  if (text) q.set("search", text);
  const r = await get<ListAnswer>(`${listPath(kind, name)}?${q}`, signal);
  return r.rows.map(itemOf);
}

const norm = (s: unknown) =>
  String(s ?? "")
    .trim()
    .toLocaleLowerCase("ru");

/** The item a pasted or typed text means: an exact code or name first, else the only result. */
export function bestMatch(items: RefItem[], text: string): RefItem | null {
  const n = norm(text);
  const exact = items.filter(
    (i) => norm(i.row.code) === n || norm(i.presentation) === n || norm(i.row.name) === n || norm(i.row.number) === n,
  );
  if (exact.length >= 1) return exact[0];
  return items.length === 1 ? items[0] : null;
}

const DROPDOWN_STYLE =
  "position:absolute;left:0;top:100%;z-index:50;min-width:100%;max-width:480px;max-height:240px;overflow:auto;" +
  "background:#fff;border:1px solid #a0a0a0;box-shadow:0 3px 10px rgba(0,0,0,.2);font:13px/1.35 Arial,sans-serif;color:#333;";

export class TypeAhead {
  readonly dropdown: HTMLDivElement;
  items: RefItem[] = [];
  highlight = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private seq = 0;

  constructor(
    readonly input: HTMLInputElement,
    container: HTMLElement,
    private readonly opts: { kind: ListKind; name: string; onPick: (item: RefItem) => void; delay?: number },
  ) {
    this.dropdown = document.createElement("div");
    this.dropdown.className = "ref-dropdown";
    this.dropdown.setAttribute("role", "listbox");
    this.dropdown.setAttribute("style", DROPDOWN_STYLE);
    this.dropdown.hidden = true;
    // mousedown, not click: the input must not lose focus (and end the edit) first
    this.dropdown.addEventListener("mousedown", (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>("[data-index]");
      e.preventDefault();
      if (el) this.pick(Number(el.dataset.index));
    });
    container.append(this.dropdown);
    input.addEventListener("input", this.onInput);
  }

  get open(): boolean {
    return !this.dropdown.hidden;
  }

  /** True while a search is waiting or running. */
  get busy(): boolean {
    return this.timer !== undefined || this.inflight !== null;
  }

  private onInput = () => {
    clearTimeout(this.timer);
    const text = this.input.value.trim();
    if (text === "") {
      this.timer = undefined;
      this.abort?.abort();
      this.close();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.search(text);
    }, this.opts.delay ?? 150);
  };

  /** Runs a search now (also used to open the list on ↓ with the current text). */
  search(text: string): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const seq = ++this.seq;
    const p = searchRefs(this.opts.kind, this.opts.name, text, 20, abort.signal)
      .then((items) => {
        if (seq !== this.seq) return;
        this.items = items;
        this.highlight = items.length ? 0 : -1;
        this.render();
      })
      .catch((e: unknown) => {
        if ((e as Error)?.name !== "AbortError" && seq === this.seq) {
          this.items = [];
          this.highlight = -1;
          this.render(String((e as Error)?.message ?? e));
        }
      })
      .finally(() => {
        if (seq === this.seq) this.inflight = null;
      });
    this.inflight = p;
    return p;
  }

  /** Waits until the typed text has been searched. */
  async settle(): Promise<void> {
    if (this.timer !== undefined) await this.search(this.input.value.trim());
    while (this.inflight) await this.inflight;
  }

  private render(error?: string) {
    const d = this.dropdown;
    d.replaceChildren();
    if (error || this.items.length === 0) {
      const empty = document.createElement("div");
      empty.className = "ref-empty";
      empty.setAttribute("style", "padding:4px 8px;color:#888");
      empty.textContent = error ?? t("ref.nothing");
      d.append(empty);
    }
    this.items.forEach((it, i) => {
      const el = document.createElement("div");
      el.className = "ref-item";
      el.dataset.index = String(i);
      el.setAttribute("role", "option");
      el.setAttribute(
        "style",
        "padding:3px 8px;cursor:pointer;white-space:nowrap;" + (i === this.highlight ? "background:#fde9a0" : ""),
      );
      if (i === this.highlight) el.setAttribute("aria-selected", "true");
      el.textContent = it.presentation;
      const code = it.row.code ?? it.row.number;
      if (code && String(code) !== it.presentation) {
        const c = document.createElement("span");
        c.setAttribute("style", "color:#888;margin-left:8px");
        c.textContent = String(code);
        el.append(c);
      }
      d.append(el);
    });
    d.hidden = false;
  }

  private move(delta: number) {
    if (!this.items.length) return;
    this.highlight = (this.highlight + delta + this.items.length) % this.items.length;
    this.render();
    (this.dropdown.querySelector(`[data-index="${this.highlight}"]`) as HTMLElement | null)?.scrollIntoView({
      block: "nearest",
    });
  }

  pick(index: number) {
    const it = this.items[index];
    if (!it) return;
    this.close();
    this.opts.onPick(it);
  }

  /** Picks the highlighted item; false if there is none. */
  pickHighlighted(): boolean {
    if (!this.open || this.highlight < 0) return false;
    this.pick(this.highlight);
    return true;
  }

  close() {
    this.dropdown.hidden = true;
  }

  /** Routes a key to the dropdown; true when the key was used (the owner stops it). */
  handleKey(e: KeyboardEvent): boolean {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!this.open) {
        void this.search(this.input.value.trim());
        return true;
      }
      this.move(e.key === "ArrowDown" ? 1 : -1);
      return true;
    }
    if (e.key === "Escape" && this.open) {
      this.close();
      return true;
    }
    return false;
  }

  destroy() {
    clearTimeout(this.timer);
    this.abort?.abort();
    this.input.removeEventListener("input", this.onInput);
    this.dropdown.remove();
  }
}
