/**
 * <ref-input>: a reference field (1C's поле ввода ссылки). Shows the presentation of the
 * chosen item; typing searches the catalog (type-ahead dropdown: ↑/↓, Enter, Esc); F4 or the
 * «…» button opens the full picker (openPicker); clearing the text and leaving clears the value.
 *
 * Properties: `catalog` (catalog name, or a document name with kind="document"), `kind`
 * ("catalog" by default), `value` (uuid or null), `presentation` (its text, from the API's
 * refs), `readOnly`. Event `change` with detail {value, presentation} whenever the user picks
 * or clears (not when the properties are set from outside).
 */
import { LitElement, css, html } from "lit";
import { t } from "../i18n/index.ts";
import { openPicker } from "./picker.ts";
import { TypeAhead, type RefItem } from "./ref-search.ts";
import type { ListKind } from "./types.ts";

export class RefInput extends LitElement {
  static override properties = {
    catalog: { type: String },
    kind: { type: String },
    value: { attribute: false },
    presentation: { type: String },
    readOnly: { type: Boolean, attribute: "readonly" },
  };
  catalog = "";
  kind: ListKind = "catalog";
  value: string | null = null;
  presentation = "";
  readOnly = false;
  private ta?: TypeAhead;

  static override styles = css`
    :host { display: inline-block; position: relative; min-width: 220px; font: inherit; }
    .wrap { display: flex; position: relative; }
    input { flex: 1; min-width: 0; font: inherit; padding: 3px 6px; border: 1px solid #a0a0a0; border-radius: 2px 0 0 2px; }
    input:focus { outline: none; border-color: #d7a81f; box-shadow: 0 0 0 1px #fde9a0; }
    input[readonly] { background: #f5f5f5; }
    button { font: inherit; border: 1px solid #a0a0a0; border-left: 0; background: #f2f2f2; padding: 0 8px; cursor: pointer; border-radius: 0 2px 2px 0; }
    button:disabled { cursor: default; color: #aaa; }
  `;

  get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector("input");
  }

  override render() {
    return html`<div class="wrap">
      <input
        .value=${this.presentation ?? ""}
        ?readonly=${this.readOnly}
        aria-label=${this.catalog}
        @keydown=${this.keydown}
        @blur=${this.onBlur}
      /><button type="button" class="pick" title=${t("ref.pick")} ?disabled=${this.readOnly} tabindex="-1" @click=${() => this.openFull()}>…</button>
    </div>`;
  }

  override firstUpdated(): void {
    const wrap = this.renderRoot.querySelector(".wrap") as HTMLElement;
    this.ta = new TypeAhead(this.input!, wrap, {
      kind: this.kind,
      name: this.catalog,
      onPick: (it) => this.choose(it),
    });
  }

  override updated(changed: Map<string, unknown>): void {
    if ((changed.has("catalog") || changed.has("kind")) && this.ta && changed.get("catalog") !== undefined) {
      this.ta.destroy();
      const wrap = this.renderRoot.querySelector(".wrap") as HTMLElement;
      this.ta = new TypeAhead(this.input!, wrap, {
        kind: this.kind,
        name: this.catalog,
        onPick: (it) => this.choose(it),
      });
    }
    if (changed.has("presentation") && this.input && this.input.value !== this.presentation)
      this.input.value = this.presentation ?? "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ta?.destroy();
    this.ta = undefined;
  }

  private choose(it: RefItem | null) {
    this.value = it ? it.id : null;
    this.presentation = it ? it.presentation : "";
    if (this.input) this.input.value = this.presentation;
    this.dispatchEvent(
      new CustomEvent("change", {
        detail: { value: this.value, presentation: this.presentation },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private keydown = async (e: KeyboardEvent) => {
    if (this.readOnly) return;
    if (e.key === "F4") {
      e.preventDefault();
      await this.openFull();
      return;
    }
    if (this.ta?.handleKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.key === "Enter" && this.ta && this.input!.value !== this.presentation) {
      e.preventDefault();
      e.stopPropagation();
      if (this.input!.value.trim() === "") return this.choose(null);
      await this.ta.settle();
      if (!this.ta.pickHighlighted()) this.input!.value = this.presentation;
    }
  };

  private onBlur = () => {
    if (!this.ta || !this.input) return;
    this.ta.close();
    const text = this.input.value;
    if (text.trim() === "" && this.value !== null) this.choose(null);
    else if (text !== this.presentation) this.input.value = this.presentation;
  };

  /** Opens the full picker (F4, «…»); a choice there changes the value. */
  async openFull(): Promise<void> {
    if (this.readOnly || !this.catalog) return;
    const typed = this.input?.value !== this.presentation ? this.input?.value.trim() : "";
    const [it] = await openPicker({ catalog: this.catalog, kind: this.kind, multi: false, search: typed || undefined });
    if (it) this.choose(it);
    this.input?.focus();
  }
}
customElements.define("ref-input", RefInput);
