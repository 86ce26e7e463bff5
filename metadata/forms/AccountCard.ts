// Карточка лицевого счета (catalog PersonalAccounts): the account's fields as the generic form
// shows them, and — once it is written — what the office asks about an account, in tabs:
//  - Услуги: the connected services (AccountServices, slice of last values): tariff kind,
//    status and since when; below them the account's benefits (AccountBenefits: category,
//    benefit holders, from–to; docs/benefits.md);
//  - Приборы учета и показания: the account's meters with their readings history (newest first);
//  - Расчеты по услугам: the debt now (Settlements balance) by service and period of debt;
//  - Начисления: each month's accrual line by line (the Accruals movements) with the line's
//    explanation — "why this amount": method, base, rate, readings, the benefit — its benefits
//    (Accruals.Benefits) and the month's totals;
//  - Заявки: the account's service requests (lib/requests-tab.ts, docs/service-requests.md).
// Everything comes from the platform's register routes; refreshed on Обновить and after writes.
import { css, html, nothing, type TemplateResult } from "lit";
import {
  ObjectForm,
  displayValue,
  formatDate,
  formatNumber,
  get,
  registerForm,
  registerMeta,
  resolveRefs,
  sumDecimals,
  type FieldMeta,
} from "../../client/src/custom-forms-api.ts";
import { monthText } from "./lib/month.ts";
import { ru } from "./lib/ru.ts";
import { loadRequests, REQUESTS_CAPTION, requestsTable } from "./lib/requests-tab.ts";

type Row = Record<string, any>;
type Tab = "services" | "meters" | "balance" | "accruals" | "requests";
const TABS: Tab[] = ["services", "meters", "balance", "accruals", "requests"];
const C = ru.card;
/** The benefits' words (docs/benefits.md). */
const B = {
  benefits: "Льготы",
  category: "Категория льготы",
  persons: "Льготников",
  from: "С",
  to: "По",
};

interface CardData {
  services: Row[];
  benefits: Row[];
  meters: { meter: Row; readings: Row[] }[];
  balance: Row[];
  accruals: { month: string; lines: Row[]; total: string; benefits: string }[];
  /** «Заявки»: the account's service requests (lib/requests-tab.ts). */
  requests: Row[];
}

/** The fields of registers (for presentations of their references). */
function registerFields(...names: string[]): FieldMeta[] {
  return names.flatMap((n) => {
    const m = registerMeta(n)?.meta;
    return m ? [...m.dimensions, ...m.resources, ...m.attributes] : [];
  });
}

export class AccountCardForm extends ObjectForm {
  static override properties = {
    ...ObjectForm.properties,
    card: { state: true },
    cardTab: { state: true },
    cardError: { state: true },
  };
  static override styles = [
    ...ObjectForm.styles,
    css`
      .card { margin: 6px 12px 12px; }
      .card-tabs { display: flex; border-bottom: 1px solid #ccc; align-items: flex-end; }
      .card-tabs button.tab { font: inherit; border: 1px solid transparent; background: none; padding: 5px 12px; cursor: pointer; margin-bottom: -1px; color: #1a4ea1; }
      .card-tabs button.tab.active { border-color: #ccc; border-bottom-color: #fff; background: #fff; color: #333; font-weight: bold; }
      .card-tabs .spacer { flex: 1; }
      table.card-table { border-collapse: collapse; width: 100%; margin-top: 6px; }
      .card-table th, .card-table td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
      .card-table th { background: #f2f2f2; font-weight: normal; }
      .card-table td.num { text-align: right; white-space: nowrap; }
      .card-table tr.month td { background: #fbf6df; font-weight: bold; }
      .card-table tr.total td { font-weight: bold; }
      .card-table td.why { color: #555; font-size: 12px; }
      .empty { color: #888; padding: 8px 0; }
    `,
  ];

  card: CardData | null = null;
  cardTab: Tab = "accruals";
  cardError = "";
  private loadedFor = "";

  override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    // After a read or a write (the version changes): the account's registers again.
    const key = this.objectId && this.obj ? `${this.objectId}|${this.obj.version ?? ""}` : "";
    if (key && key !== this.loadedFor) {
      this.loadedFor = key;
      void this.loadCard();
    }
  }

  async loadCard(): Promise<void> {
    const id = this.objectId;
    if (!id) return;
    try {
      const far = "2100-12-31";
      const [services, meters, balance, accruals, benefits] = await Promise.all([
        get<{ rows: Row[] }>(`/registers/AccountServices/slice-last?Account=${id}`),
        get<{ rows: Row[] }>(`/catalogs/Meters?Account=${id}&limit=100`),
        get<{ rows: Row[] }>(`/registers/Settlements/balance?Account=${id}`),
        get<{ rows: Row[] }>(`/registers/Accruals/movements?Account=${id}&from=1900-01-01&to=${far}&limit=1000`),
        get<{ rows: Row[] }>(`/registers/AccountBenefits/slice-last?Account=${id}`).catch(() => ({
          rows: [] as Row[],
        })),
      ]);
      const readings = await Promise.all(
        meters.rows.map((m) =>
          get<{ rows: Row[] }>(`/registers/MeterReadings/records?Meter=${m.id}&limit=24`).then((r) => r.rows),
        ),
      );
      const refs = await resolveRefs(
        registerFields("AccountServices", "Settlements", "Accruals", "AccountBenefits"),
        [...services.rows, ...balance.rows, ...accruals.rows, ...benefits.rows],
        this.refs,
      );
      Object.assign(this.refs, refs);
      const requests = await loadRequests(id, this.refs);
      const byMonth = new Map<string, Row[]>();
      for (const r of accruals.rows) {
        const m = String(r.period).slice(0, 7);
        byMonth.set(m, [...(byMonth.get(m) ?? []), r]);
      }
      this.card = {
        services: services.rows.filter((r) => r.Service),
        benefits: benefits.rows.filter((r) => r.Category),
        meters: meters.rows.map((meter, i) => ({ meter, readings: readings[i] })),
        balance: balance.rows,
        accruals: [...byMonth]
          .sort((a, b) => (a[0] < b[0] ? 1 : -1))
          .map(([month, lines]) => ({
            month,
            lines,
            total: sumDecimals(lines.map((l) => l.Amount)),
            benefits: sumDecimals(lines.map((l) => l.Benefits ?? "0")),
          })),
        requests,
      };
      this.cardError = "";
    } catch (e) {
      this.cardError = (e as Error).message;
    }
  }

  protected override afterTables(): unknown {
    if (!this.objectId) return html`<div class="message info">${C.writeFirst}</div>`;
    return html`<div class="card">
      <div class="card-tabs" role="tablist">
        ${TABS.map(
          (t) =>
            html`<button class="tab ${t === this.cardTab ? "active" : ""}" role="tab" data-tab=${t} @click=${() => (this.cardTab = t)}>${t === "requests" ? REQUESTS_CAPTION : C[t]}</button>`,
        )}
        <span class="spacer"></span>
        <button class="cmd" data-cmd="card-refresh" @click=${() => this.loadCard()}>${C.refresh}</button>
      </div>
      ${this.cardError ? html`<div class="message" role="alert">${this.cardError}</div>` : nothing}
      <div class="card-page" data-tab=${this.cardTab}>${this.card ? this.page(this.card) : nothing}</div>
    </div>`;
  }

  private page(d: CardData): TemplateResult {
    switch (this.cardTab) {
      case "services":
        return html`${this.servicesTable(d.services)}${this.benefitsTable(d.benefits)}`;
      case "meters":
        return this.metersTable(d.meters);
      case "balance":
        return this.balanceTable(d.balance);
      case "accruals":
        return this.accrualsTable(d.accruals);
      case "requests":
        return requestsTable(d.requests, this.refs);
    }
  }

  /** A register field's value as the UI shows it. */
  private show(register: string, field: string, v: unknown): string {
    const m = registerMeta(register)?.meta;
    const f = m && [...m.dimensions, ...m.resources, ...m.attributes].find((x) => x.name === field);
    return displayValue(f?.type, v, this.refs);
  }

  private servicesTable(rows: Row[]): TemplateResult {
    if (!rows.length) return html`<div class="empty">${C.none}</div>`;
    const s = (f: string, v: unknown) => this.show("AccountServices", f, v);
    return html`<table class="card-table" data-table="services">
      <tr><th>${C.service}</th><th>${C.tariffKind}</th><th>${C.status}</th><th>${C.since}</th></tr>
      ${rows.map((r) => html`<tr><td>${s("Service", r.Service)}</td><td>${s("TariffKind", r.TariffKind)}</td><td>${s("Status", r.Status)}</td><td>${formatDate(r.period)}</td></tr>`)}
    </table>`;
  }

  private benefitsTable(rows: Row[]): TemplateResult | typeof nothing {
    if (!rows.length) return nothing;
    const s = (f: string, v: unknown) => this.show("AccountBenefits", f, v);
    return html`<h4 class="benefits">${B.benefits}</h4>
      <table class="card-table" data-table="benefits">
        <tr><th>${B.category}</th><th>${B.persons}</th><th>${B.from}</th><th>${B.to}</th></tr>
        ${rows.map((r) => html`<tr data-category=${r.Category}><td>${s("Category", r.Category)}</td><td class="num">${formatNumber(r.Persons, 0)}</td><td>${r.From ? formatDate(r.From) : ""}</td><td>${r.To ? formatDate(r.To) : ""}</td></tr>`)}
      </table>`;
  }

  private metersTable(rows: CardData["meters"]): TemplateResult {
    if (!rows.length) return html`<div class="empty">${C.none}</div>`;
    return html`<table class="card-table" data-table="meters">
      <tr><th>${C.meter}</th><th>${C.serial}</th><th>${C.readings}</th></tr>
      ${rows.map(
        ({ meter, readings }) => html`<tr data-meter=${meter.id}>
          <td>${meter.presentation ?? meter.name}</td>
          <td>${meter.SerialNumber ?? ""}</td>
          <td class="readings">${readings.length ? readings.map((r, i) => html`${i ? html`<br />` : nothing}${formatDate(r.period)} — ${formatNumber(r.Reading, 4)}`) : C.noReadings}</td>
        </tr>`,
      )}
    </table>`;
  }

  private balanceTable(rows: Row[]): TemplateResult {
    if (!rows.length) return html`<div class="empty">${C.none}</div>`;
    const s = (f: string, v: unknown) => this.show("Settlements", f, v);
    const byService = new Map<string, Row[]>();
    for (const r of rows) byService.set(r.Service ?? "", [...(byService.get(r.Service ?? "") ?? []), r]);
    return html`<table class="card-table" data-table="balance">
      <tr><th>${C.service}</th><th>${C.debtPeriod}</th><th>${C.debt}</th></tr>
      ${[...byService].map(
        ([service, list]) => html`${list.map(
          (r) =>
            html`<tr><td>${s("Service", service || null)}</td><td>${monthText(r.DebtPeriod)}</td><td class="num">${formatNumber(r.Amount, 2)}</td></tr>`,
        )}
          ${
            list.length > 1
              ? html`<tr class="total"><td>${s("Service", service || null)}</td><td>${C.total}</td><td class="num">${formatNumber(sumDecimals(list.map((r) => r.Amount)), 2)}</td></tr>`
              : nothing
          }`,
      )}
      <tr class="total" data-total><td colspan="2">${C.total}</td><td class="num">${formatNumber(sumDecimals(rows.map((r) => r.Amount)), 2)}</td></tr>
    </table>`;
  }

  private accrualsTable(months: CardData["accruals"]): TemplateResult {
    if (!months.length) return html`<div class="empty">${C.none}</div>`;
    const s = (f: string, v: unknown) => this.show("Accruals", f, v);
    return html`<table class="card-table" data-table="accruals">
      <tr><th>${C.service}</th><th>${C.volume}</th><th>${C.rate}</th><th>${C.amount}</th><th>${B.benefits}</th><th>${C.explanation}</th></tr>
      ${months.map(
        (
          m,
        ) => html`<tr class="month" data-month=${m.month}><td colspan="3">${monthText(m.month)}</td><td class="num">${formatNumber(m.total, 2)}</td><td class="num benefits">${formatNumber(m.benefits, 2)}</td><td>${C.monthTotal}</td></tr>
          ${m.lines.map(
            (l) => html`<tr data-month=${m.month} data-service=${l.Service}>
              <td>${s("Service", l.Service)}</td>
              <td class="num">${formatNumber(l.Volume, 4)}</td>
              <td class="num">${formatNumber(l.Rate, 4)}</td>
              <td class="num amount">${formatNumber(l.Amount, 2)}</td>
              <td class="num benefits">${formatNumber(l.Benefits ?? 0, 2)}</td>
              <td class="why">${l.Explanation ?? ""}</td>
            </tr>`,
          )}`,
      )}
    </table>`;
  }
}

customElements.define("account-card-form", AccountCardForm);
registerForm("catalog.PersonalAccounts", "account-card-form");
