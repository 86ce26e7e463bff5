// «Поступление (акт, накладная)» (SupplierInvoice; docs/bookkeeping.md).
// Записать (beforeWrite): the supplier's account left empty is 60.01, a row's cost account 20.01;
// the organization left empty is the only one when there is one; each row's VAT is computed from
// its sum and rate, half up to kopecks — on top of the sum (Сумма × ставка / 100) or, with «Сумма
// включает НДС», within it (Сумма × ставка / (100 + ставка)) — and Всего is the sum with the VAT.
// Posting, at the document's date, per row (the same arithmetic again, so a stored figure cannot
// drift from the rows):
//  - the cost (the sum without the VAT) Дт the row's account (its analytics: the service as the
//    номенклатурная группа, the cost item) Кт the supplier's account (the counterparty);
//  - the VAT Дт 19.04 (19.03 for a materials account 10.xx) Кт the supplier's account, both with the
//    counterparty; with «Принять НДС к вычету» also Дт 68.02 Кт 19.0x (НК 171, 172);
//  - an organization on УСН (Organizations.TaxRegime) is not a VAT payer: the VAT is part of the
//    cost (НК 170 п.2 пп.3) — one entry of the whole sum — and «Принять НДС к вычету» is refused.
// Refused, naming the row and field, nothing posted: no rows, a sum of zero or less, an account
// with sub-accounts or not in the chart, analytics a balance account lacks are left out.
import { Decimal } from "decimal.js";
import { checkAccounts, content, ledger, sideAnalytics } from "../common/ledger.ts";
import { vatOnTop, vatPercent, vatWithin } from "../common/vat.ts";
import { defineDocument, type VatRates } from "../types.gen.ts";

const SUPPLIER = "60.01";
const COST = "20.01";

/** The VAT of a row (half up to kopecks) and the sum without it. */
export function rowVat(amount: Decimal, rate: VatRates | null, includes: boolean): { vat: Decimal; net: Decimal } {
  const p = vatPercent(rate) ?? 0;
  const vat = includes ? vatWithin(amount, p) : vatOnTop(amount, p);
  return { vat, net: includes ? amount.minus(vat) : amount };
}

export default defineDocument("SupplierInvoice", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    const l = await ledger(ctx);
    if (!d.SupplierAccount) d.SupplierAccount = l.find(SUPPLIER)?.id ?? null;
    if (!d.Organization) {
      const orgs = await ctx.query("catalog", "Organizations", {}, 2);
      if (orgs.length === 1) d.Organization = orgs[0].id;
    }
    for (const r of d.Items ?? []) {
      if (!r.Account) r.Account = l.find(COST)?.id ?? null;
      if (r.Amount === null) continue;
      const { vat, net } = rowVat(new Decimal(r.Amount), r.VatRate, d.AmountIncludesVat === true);
      r.Vat = vat;
      r.Total = net.plus(vat);
    }
  },

  async post(ctx) {
    const d = ctx.doc;
    if (d.Items.length === 0)
      throw ctx.error("Поступление: нет ни одной строки — добавьте услуги и материалы", { table: "Items" });
    const l = await ledger(ctx);
    const [org] = d.Organization ? await ctx.query("catalog", "Organizations", { id: d.Organization }, 1) : [];
    const simplified = !!org?.TaxRegime && org.TaxRegime !== "General";
    if (simplified && d.AcceptVat)
      throw ctx.error(
        `Поступление: организация «${org!.name}» применяет УСН и не принимает НДС к вычету (НК 346.11 п.2) — снимите флажок «Принять НДС к вычету»`,
        { field: "AcceptVat" },
      );
    const fail = (message: string, target: { table?: string; line?: number; field?: string }) =>
      ctx.error(message, target);
    const counterparty = { Counterparties: d.Counterparty };
    const title = `Поступление №${d.number}${d.IncomingNumber ? ` (вх. №${d.IncomingNumber})` : ""}`;
    d.Items.forEach((r, i) => {
      const where = { label: `Услуги и материалы, строка ${i + 1}`, table: "Items", line: i + 1 };
      const amount = r.Amount ?? new Decimal(0);
      if (amount.lte(0))
        throw ctx.error(`${where.label}: «Сумма» должна быть больше нуля`, { ...where, field: "Amount" });
      const { dr, cr } = checkAccounts(l, r.Account ?? COST, d.SupplierAccount ?? SUPPLIER, where, fail, {
        Dr: "Account",
        Cr: "SupplierAccount",
      });
      const { vat, net } = rowVat(amount, r.VatRate, d.AmountIncludesVat === true);
      const text = content(`${title}: ${r.Description || d.Content || "поступление"}`);
      const supplierSide = sideAnalytics(cr, counterparty);
      ctx.movements.Accounting.add({
        AccountDr: dr!.id,
        AccountCr: cr!.id,
        AnalyticsDr: sideAnalytics(dr, { Services: r.Service, CostItems: r.CostItem, ...counterparty }),
        AnalyticsCr: supplierSide,
        Amount: (simplified ? net.plus(vat) : net).toFixed(2),
        Content: text,
      });
      if (simplified || vat.isZero()) return;
      const input = l.find(dr!.code.startsWith("10") ? "19.03" : "19.04");
      if (!input) throw fail(`${where.label}: в плане счетов нет счета 19.03 / 19.04`, { ...where, field: "Account" });
      ctx.movements.Accounting.add({
        AccountDr: input.id,
        AccountCr: cr!.id,
        AnalyticsDr: sideAnalytics(input, counterparty),
        AnalyticsCr: supplierSide,
        Amount: vat.toFixed(2),
        Content: content(`${title}: НДС`),
      });
      if (d.AcceptVat)
        ctx.movements.Accounting.add({
          AccountDr: "68.02",
          AccountCr: input.id,
          AnalyticsCr: sideAnalytics(input, counterparty),
          Amount: vat.toFixed(2),
          Content: content(`${title}: НДС к вычету`),
        });
    });
  },
});
