/**
 * The receipt's figures (DOMAIN.md §7) for the accounts asked: one account (from its card), the
 * accounts of a GroupAccrual document (its month), one building, or every account open in the
 * period. For the seed's 00000000001, November 2011: debt on 01.11.11 2 045,64; paid 1 994,77
 * (last on 24.11.11); accrued 13 752,73; to pay 13 803,60; penalties 192,64; with penalties
 * 13 996,24. Every figure comes from the registers in a fixed number of reads:
 *  - Settlements (_lib/figures.ts): opening debt, paid, last payment day, closing = to pay;
 *  - Accruals: the lines (volume, accrued, benefits, recalculation, total per service);
 *  - AccountServices + Tariffs: each line's tariff (the account's tariff kind for the service);
 *  - Penalties: the balance at the month's end; PenaltySettings: the due day.
 * Payees (Services.Payee, docs/payees.md): the services of another organization than the
 * building's (e.g. capital repair to the fund's account) are printed in a block of their own,
 * with that organization's requisites, its own sum to pay (their Settlements) and its own QR; the
 * main block keeps the rest (and the penalties). Without such services (the demo) the receipt
 * is as it was.
 */
import { Decimal } from "decimal.js";
import { dec } from "../../metadata/common/money.ts";
import { DEFAULT_DUE_DAY, dueDateOf } from "../../metadata/common/penalties.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { formatDate, money, monthEnd, quantity } from "../../server/api.ts";
import { type AccountInfo, byReceiptOrder, enumSynonyms, recipientOf, servicesById } from "../_lib/catalogs.ts";
import { type AccrualLine, accruals, penaltyBalances, settlements, total } from "../_lib/figures.ts";
import { receiptScope, tariffs } from "../_lib/receipt-inputs.ts";
import { requestCharges } from "../_lib/request-charges.ts";
import { typed } from "../_lib/typed.ts";
import { gostPaymentString } from "./gost.ts";
import { qrPngDataUrl } from "./qr-image.ts";

const ZERO = new Decimal(0);
const NBSP = "\u00a0";

/**
 * A figure right-aligned in a column `halves` half-digits wide, as text: the template's figures
 * are not cells but one run of text per line (a sheet's elements are what Chromium's print
 * costs), so a column is the figure led by no-break spaces. In DejaVu Sans (the reports' font) a
 * no-break space, a comma and a dot are half a digit, so every row's figures end at one place.
 */
export function padded(text: string, halves: number): string {
  let used = 0;
  for (const c of text) used += c >= "0" && c <= "9" ? 2 : 1;
  return NBSP.repeat(Math.max(0, halves - used)) + text;
}
const paddedDate = (v: unknown, halves: number) => padded(v ? formatDate(v, "dd.MM.yy") : "", halves);
/** The services' figures of a line, columns as in style.css: volume, tariff, accrued, benefits, recalculation, total. */
const lineFigures = (
  volume: unknown,
  tariff: unknown,
  amount: unknown,
  benefits: unknown,
  recalculation: unknown,
  total: unknown,
) =>
  [
    padded(volume == null ? "" : quantity(volume, 4), 20),
    padded(tariff == null ? "" : quantity(tariff, 4), 18),
    padded(money(amount ?? 0), 18),
    padded(money(benefits ?? 0), 18),
    padded(money(recalculation ?? 0), 18),
    padded(money(total ?? 0), 18),
  ].join("");

export default async function receipt(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { month, accounts } = await receiptScope(ctx, p);
  const end = monthEnd(month);
  const wanted = accounts.length === 1 ? new Set([accounts[0].id]) : null;
  // one after another: the reads share the request's transaction (one connection)
  const flows = await settlements(ctx, month, end, wanted);
  const lines = await accruals(ctx, month, end, wanted);
  const penalties = await penaltyBalances(ctx, end, wanted);
  const services = await servicesById(ctx);
  const rateOf = await tariffs(ctx, end, wanted);
  const requestsOf = await requestCharges(ctx, month, wanted); // paid works: the requests' numbers on their line
  const settings = await ctx.info.PenaltySettings.sliceLast(month);
  const dueDay =
    settings[0]?.DueDay != null && !dec(settings[0].DueDay).isZero()
      ? dec(settings[0].DueDay).toNumber()
      : DEFAULT_DUE_DAY;
  const ownership = enumSynonyms(ctx, "OwnershipTypes");
  const order = byReceiptOrder(services);
  // service → its payee (Services.Payee), and the payees' organizations
  const payeeOf = new Map<string, string>();
  for (const s of await ctx.query("catalog", "Services", {})) if (s.Payee) payeeOf.set(s.id, s.Payee);
  const payeeOrgs = payeeOf.size
    ? new Map(
        (await ctx.query("catalog", "Organizations", { id: [...new Set(payeeOf.values())] })).map((o) => [o.id, o]),
      )
    : new Map();

  const receipts = accounts.map((a) => withQrImage(receiptOf(a)));
  return { period: month, receipts };

  /** The account's lines of other payees than its building's organization, by payee, with their flows. */
  function payeesOf(a: AccountInfo, all: AccrualLine[]) {
    if (!payeeOf.size) return [];
    const mainOrg = a.building?.Organization ?? null;
    const other = (service: string | null) => {
      const x = service ? payeeOf.get(service) : undefined;
      return x && x !== mainOrg ? x : null;
    };
    const groups = new Map<string, { lines: AccrualLine[]; opening: Decimal; paid: Decimal; toPay: Decimal }>();
    const group = (org: string) => {
      let g = groups.get(org);
      if (!g) groups.set(org, (g = { lines: [], opening: ZERO, paid: ZERO, toPay: ZERO }));
      return g;
    };
    for (const l of all) {
      const org = other(l.service);
      if (org) group(org).lines.push(l);
    }
    for (const [service, fl] of flows.get(a.id)?.services ?? []) {
      const org = other(service || null);
      if (!org || (fl.closing.isZero() && fl.opening.isZero() && fl.paid.isZero() && !groups.has(org))) continue;
      const g = group(org);
      g.opening = g.opening.plus(fl.opening);
      g.paid = g.paid.plus(fl.paid);
      g.toPay = g.toPay.plus(fl.closing);
    }
    return [...groups].map(([org, g]) => ({ recipient: recipientOf(payeeOrgs.get(org)), ...g }));
  }

  function lineRows(a: AccountInfo, own: AccrualLine[]) {
    return own.map((l) => {
      const tariff = rateOf(a.id, l.service);
      return {
        ...l,
        name: (services.get(l.service)?.name ?? "") + requestsOf(a.id, l.service),
        unit: services.get(l.service)?.unit ?? "",
        tariff,
        figures: lineFigures(l.volume, tariff, l.amount, l.benefits, l.recalculation, l.total),
      };
    });
  }

  function linesTotalOf(own: AccrualLine[]): string {
    return (
      NBSP.repeat(38) +
      [
        (l: AccrualLine) => l.amount,
        (l: AccrualLine) => l.benefits,
        (l: AccrualLine) => l.recalculation,
        (l: AccrualLine) => l.total,
      ]
        .map((g) => padded(money(total(own, g)), 18))
        .join("")
    );
  }

  function receiptOf(a: AccountInfo) {
    const f = flows.get(a.id);
    const all: AccrualLine[] = [...(lines.get(a.id) ?? [])].sort(order);
    const others = payeesOf(a, all);
    const theirs = new Set(others.flatMap((g) => g.lines));
    const own = others.length ? all.filter((l) => !theirs.has(l)) : all;
    const minus = (x: Decimal, pick: (g: (typeof others)[number]) => Decimal) =>
      others.reduce((acc, g) => acc.minus(pick(g)), x);
    const opening = minus(f?.opening ?? ZERO, (g) => g.opening),
      paid = minus(f?.paid ?? ZERO, (g) => g.paid),
      toPay = minus(f?.closing ?? ZERO, (g) => g.toPay);
    const pen = penalties.get(a.id) ?? ZERO;
    const withPenalties = toPay.plus(pen);
    const r = a.recipient;
    return {
      account: {
        code: a.code,
        name: a.name,
        address: a.address,
        ownership: (a.row.OwnershipType && ownership.get(a.row.OwnershipType)) || "",
        totalArea: a.row.TotalArea,
        livingArea: a.row.LivingArea,
        residents: a.row.Residents,
        beneficiaries: a.row.Beneficiaries,
      },
      recipient: r,
      period: month,
      periodNumber: Number(month.slice(5, 7)),
      periodYear: month.slice(0, 4),
      openingDate: month,
      opening,
      paid,
      lastPayment: f?.lastPayment ?? null,
      accrued: total(own, (l) => l.amount),
      benefits: total(own, (l) => l.benefits),
      recalculation: total(own, (l) => l.recalculation),
      linesTotal: total(own, (l) => l.total),
      toPay,
      penalties: pen,
      showPenalties: p.penaltiesLine !== false,
      toPayWithPenalties: withPenalties,
      dueDate: dueDateOf(month, dueDay),
      lines: lineRows(a, own),
      // one block and one QR per other payee (docs/payees.md)
      payees: others.map((g) =>
        withQrImage({
          recipient: g.recipient,
          toPay: g.toPay,
          lines: lineRows(a, g.lines),
          fig: {
            opening: padded(money(g.opening), 16),
            paid: padded(money(g.paid), 16),
            accrued: padded(money(total(g.lines, (l) => l.amount)), 16),
            benefits: padded(money(total(g.lines, (l) => l.benefits)), 16),
            recalculation: padded(money(total(g.lines, (l) => l.recalculation)), 16),
            toPay: padded(money(g.toPay), 16),
            linesTotal: linesTotalOf(g.lines),
          },
          qr: gostPaymentString({
            name: g.recipient.name,
            personalAcc: g.recipient.bankAccount,
            bankName: g.recipient.bankName,
            bic: g.recipient.bik,
            correspAcc: g.recipient.corrAccount,
            payeeInn: g.recipient.inn,
            kpp: g.recipient.kpp,
            sum: Decimal.max(g.toPay, 0),
            persAcc: a.code,
            period: month,
          }),
        }),
      ),
      // the printed form's columns (padded, above): the facts, the services' totals, the sums
      fig: {
        opening: padded(money(opening), 16),
        paid: padded(money(paid), 16),
        lastPayment: paddedDate(f?.lastPayment ?? null, 16),
        accrued: padded(money(total(own, (l) => l.amount)), 16),
        benefits: padded(money(total(own, (l) => l.benefits)), 16),
        recalculation: padded(money(total(own, (l) => l.recalculation)), 16),
        toPay: padded(money(toPay), 16),
        penalties: padded(money(pen), 16),
        toPayWithPenalties: padded(money(withPenalties), 16),
        linesTotal: linesTotalOf(own),
      },
      qr: gostPaymentString({
        name: r.name,
        personalAcc: r.bankAccount,
        bankName: r.bankName,
        bic: r.bik,
        correspAcc: r.corrAccount,
        payeeInn: r.inn,
        kpp: r.kpp,
        sum: Decimal.max(withPenalties, 0),
        persAcc: a.code,
        period: month,
      }),
    };
  }
}

/**
 * `qrImage`: the QR code as a PNG data URL, drawn when the template reads it (a batch's images
 * exist one chunk at a time, and CSV never draws them).
 */
export function withQrImage<T extends { qr: string }>(r: T): T & { readonly qrImage: string } {
  return Object.defineProperty(r, "qrImage", { get: () => qrPngDataUrl(r.qr), enumerable: false }) as T & {
    readonly qrImage: string;
  };
}
