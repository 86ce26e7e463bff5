// Выписка банка: the generic document form with «Загрузить» — a file picker whose file goes as it
// is to POST /api/documents/BankStatement/import (a bank's 1CClientBankExchange file; with «Платежный
// агент» filled, that agent's register: ?format=agent-registry&agent=…). The new statement opens in
// this form (a new one) or in its own tab, with its lines and their states (Разнесено, Не разнесено,
// Дубликат, Исходящий) in the grid, and the form says how many became payments; a file refused
// (its line and reason) or a file every line of which was loaded before is said so, nothing written.
// A line «Не разнесено» is assigned by choosing its «Лицевой счет» (and «Период оплаты») and
// «Провести»: it becomes a Payment (docs/bank-statement.md).
import {
  DocumentForm,
  type Obj,
  announceChange,
  emit,
  get,
  objectKey,
  postBytes,
  registerForm,
} from "../../client/src/custom-forms-api.ts";
import { css, html } from "lit";

interface ImportAnswer {
  statement: { id: string; number: string } | null;
  message?: string;
  counts: { posted: number; unposted: number; duplicates: number; outgoing: number };
}

export const texts = {
  load: "Загрузить",
  loadHint: "Загрузить выписку банка (1CClientBankExchange) или реестр платежного агента из файла",
  loading: "Загрузка файла…",
  done: (c: ImportAnswer["counts"]) =>
    `Файл загружен: разнесено ${c.posted}, не разнесено ${c.unposted}` +
    (c.duplicates ? `, загружено ранее ${c.duplicates}` : "") +
    (c.outgoing ? `, исходящих ${c.outgoing}` : ""),
};

export class BankStatementForm extends DocumentForm {
  static override styles = [
    ...DocumentForm.styles,
    css`
      input.file { display: none; }
    `,
  ];

  protected override barEnd() {
    return html`${
      this.canWrite
        ? html`<button class="cmd" data-cmd="import" title=${texts.loadHint} ?disabled=${this.busy}
            @click=${() => (this.renderRoot.querySelector("input.file") as HTMLInputElement | null)?.click()}>${texts.load}</button>
          <input class="file" type="file" accept=".txt,.csv,text/plain" @change=${(e: Event) => this.loadFile(e)} />`
        : ""
    }${super.barEnd()}`;
  }

  /** Загрузить: the chosen file to the import route; the statement it made opens here (a new form) or in a tab. */
  async loadFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file || this.busy) return;
    this.busy = true;
    this.message = "";
    this.info = texts.loading;
    try {
      const q = new URLSearchParams({ name: file.name });
      const agent = this.obj?.Agent;
      if (typeof agent === "string" && agent) q.set("format", "agent-registry"), q.set("agent", agent);
      const a = await postBytes<ImportAnswer>(`${this.apiPath}/import?${q}`, await file.arrayBuffer());
      announceChange("document", "Payment");
      announceChange(this.kind, this.name);
      if (!a.statement) {
        this.info = a.message ?? texts.done(a.counts);
        return;
      }
      const key = objectKey(this.kind, this.name, a.statement.id);
      if (this.objectId) emit(this, "open-tab", { key });
      else {
        this.accept(await get<Obj>(`${this.apiPath}/${a.statement.id}`));
        emit(this, "tab-key", { key });
        this.announce();
      }
      this.info = texts.done(a.counts);
    } catch (err) {
      this.info = "";
      this.showError(err);
    } finally {
      this.busy = false;
    }
  }
}

customElements.define("bank-statement-form", BankStatementForm);
registerForm("document.BankStatement", "bank-statement-form");
