/**
 * Entries of an accounting register in «Движения»: one row per entry — period, Дт with its
 * analytics, Кт with its analytics, the amount (and quantities), the content — as the server
 * reads them back (server/accounting/entries.ts#readEntries, analytics already as text).
 */
import { html } from "lit";
import { t } from "../i18n/index.ts";
import { formatDate, money, quantity } from "../../../server/format.ts";

type Entry = Record<string, unknown>;

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));

export function entriesTable(rows: Entry[]) {
  const withQuantity = rows.some((r) => "QuantityDr" in r || "QuantityCr" in r);
  const qty = (v: unknown) => (v === null || v === undefined || /^0(\.0+)?$/.test(String(v)) ? "" : quantity(v, 3));
  return html`<table class="entries">
    <thead>
      <tr>
        <th>${t("entries.period")}</th>
        <th>${t("entries.dr")}</th>
        <th>${t("entries.analyticsDr")}</th>
        <th>${t("entries.cr")}</th>
        <th>${t("entries.analyticsCr")}</th>
        <th class="num">${t("entries.amount")}</th>
        ${withQuantity ? html`<th class="num">${t("entries.quantityDr")}</th><th class="num">${t("entries.quantityCr")}</th>` : ""}
        <th>${t("entries.content")}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr>
          <td>${formatDate(text(r.period).slice(0, 10))}</td>
          <td class="account" data-side="dr">${text(r.AccountDr)}</td>
          <td>${text(r.AnalyticsDrText)}</td>
          <td class="account" data-side="cr">${text(r.AccountCr)}</td>
          <td>${text(r.AnalyticsCrText)}</td>
          <td class="num">${money(r.Amount)}</td>
          ${withQuantity ? html`<td class="num">${qty(r.QuantityDr)}</td><td class="num">${qty(r.QuantityCr)}</td>` : ""}
          <td>${text(r.Content)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
