// «Закрытие месяца» (MonthClose; docs/bookkeeping.md).
// Записать (beforeWrite): Month is kept as its first day; a new close without «Директ-костинг»
// set takes the choice of the latest posted close (the company's accounting policy stays as it was).
// Posting: every entry is dated the month's last second (23:59:59 of its last day), whatever the
// document's date; the figures are the register's balances one second before — so a repost does
// not see its own previous entries and recomputes everything. In this order, each step reading
// the balances as the previous steps left them (amounts in kopecks, nothing posted for zero):
//  1. 25 and 26, per cost item: with «Директ-костинг» Дт 90.02 Кт 25/26; otherwise distributed to
//     20.01 by the services' share of the month's revenue (90.01: Кт − Дт turnover per service,
//     largest remainder to the kopeck) — Дт 20.01 (service, the cost item) Кт 25/26; a month
//     without revenue writes them straight to 90.02 (the entry says so);
//  2. 20 (20.01 and any sub-account of 20), per service and cost item → Дт 90.02 (service);
//  3. each sub-account of 90 but 90.09 (90.01, 90.02, 90.03…), per analytics → 90.09;
//  4. each sub-account of 91 but 91.09 (91.01, 91.02…) → 91.09;
//  5. 90.09 and 91.09 → 99 (profit Дт 90.09 / 91.09 Кт 99, a loss the other way);
//  6. in December, the year's result 99 → 84 (балансовая реформация: profit Дт 99 Кт 84).
// A balance is moved by the side it lies on, so no entry has a negative sum: a debit balance of X
// is closed Дт target Кт X, a credit balance Дт X Кт target.
// Refused (nothing posted): a month after which a later month is already closed — unpost the later
// closes, repost this one, then post them again in order (a close reads the balances the earlier
// months' closes left); a month already closed by another posted document (name its number).
import { Decimal } from "decimal.js";
import { momentBefore, monthEnd, monthStart } from "../../server/api.ts";
import { amountOf, content } from "../common/ledger.ts";
import { largestRemainder } from "../common/money.ts";
import { defineDocument, type ChartOfAccountsAnalytics, type Query } from "../types.gen.ts";

type An = Partial<Record<ChartOfAccountsAnalytics, string>>;
interface Key {
  code: string;
  an: An;
}
interface Net extends Key {
  net: Decimal;
}

/** 'YYYY-MM-01' → 'MM.YYYY'. */
const mmyyyy = (month: string) => `${month.slice(5, 7)}.${month.slice(0, 4)}`;
const under = (code: string, parent: string) => code === parent || code.startsWith(`${parent}.`);

/** The balances the close works on, and the entries it makes, each changing them. */
class Book {
  readonly nets = new Map<string, Net>();
  readonly entries: { dr: Key; cr: Key; amount: Decimal; text: string }[] = [];
  private key = (k: Key) =>
    `${k.code}|${JSON.stringify(Object.entries(k.an).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

  net(k: Key): Decimal {
    return this.nets.get(this.key(k))?.net ?? new Decimal(0);
  }
  private add(k: Key, d: Decimal) {
    const key = this.key(k);
    const cur = this.nets.get(key);
    this.nets.set(key, { code: k.code, an: k.an, net: (cur?.net ?? new Decimal(0)).plus(d) });
  }
  seed(k: Key, net: Decimal) {
    this.add(k, net);
  }
  /** Moves `amount` of debit balance from `from` to `to` (a negative amount: credit balance). */
  transfer(from: Key, to: Key, amount: Decimal, text: string) {
    if (amount.isZero()) return;
    if (amount.gt(0)) this.entries.push({ dr: to, cr: from, amount, text });
    else this.entries.push({ dr: from, cr: to, amount: amount.neg(), text });
    this.add(to, amount);
    this.add(from, amount.neg());
  }
  /** Moves the whole balance of `from` to `to`. */
  close(from: Key, to: Key, text: string) {
    this.transfer(from, to, this.net(from), text);
  }
  /** The keys under an account (itself or its sub-accounts) with a balance, in a stable order. */
  rows(parent: string, except: string[] = []): Net[] {
    return [...this.nets.values()]
      .filter((r) => under(r.code, parent) && !except.includes(r.code) && !r.net.isZero())
      .sort((a, b) => this.key(a).localeCompare(this.key(b)));
  }
}

/** Posted closes other than this one: [later ones, ones of the same month]. */
async function otherCloses(ctx: Query, id: string, month: string) {
  const all = (await ctx.query("document", "MonthClose", {})).filter(
    (c) => c.posted && !c.deletionMark && c.id !== id && c.Month,
  );
  const m = (c: (typeof all)[number]) => monthStart(String(c.Month));
  return {
    later: all.filter((c) => m(c) > month).sort((a, b) => (m(a) < m(b) ? 1 : -1)),
    same: all.filter((c) => m(c) === month),
  };
}

export default defineDocument("MonthClose", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    if (d.Month) d.Month = monthStart(String(d.Month));
    if (ctx.isNew && (d.DirectCosting === null || d.DirectCosting === undefined)) {
      const last = (await ctx.query("document", "MonthClose", {}))
        .filter((c) => c.posted && !c.deletionMark && c.Month)
        .sort((a, b) => (String(a.Month) < String(b.Month) ? 1 : -1))[0];
      d.DirectCosting = last?.DirectCosting ?? false;
    }
  },

  async post(ctx) {
    const d = ctx.doc;
    const month = monthStart(String(d.Month));
    const title = `Закрытие месяца ${mmyyyy(month)}`;
    await ctx.lock("month-close");
    const { later, same } = await otherCloses(ctx, d.id, month);
    if (later.length)
      throw ctx.error(
        `${title}: уже закрыт более поздний месяц ${mmyyyy(monthStart(String(later[0].Month)))} (документ №${later[0].number}) — ` +
          "отмените проведение более поздних закрытий, проведите это и затем их по порядку",
        { field: "Month" },
      );
    if (same.length)
      throw ctx.error(`${title}: месяц уже закрыт документом №${same[0].number} — проведите его повторно`, {
        field: "Month",
      });
    const period = `${monthEnd(month)}T23:59:59`;
    const before = momentBefore(period);
    const book = new Book();
    for (const code of ["20", "25", "26", "90", "91", "99"])
      for (const r of await ctx.registers.Accounting.balance(before, { Account: code }))
        book.seed({ code: r.Account, an: (r.Analytics ?? {}) as An }, amountOf(r.AmountDr).minus(amountOf(r.AmountCr)));

    // 1. 25 and 26: to 20.01 by the services' revenue share, or straight to 90.02.
    const revenue = new Map<string, Decimal>();
    for (const r of await ctx.registers.Accounting.turnovers(`${month}T00:00:00`, before, "none", {
      Account: "90.01",
    })) {
      const s = (r.Analytics as An | null)?.Services ?? "";
      revenue.set(
        s,
        (revenue.get(s) ?? new Decimal(0)).plus(amountOf(r.AmountTurnoverCr)).minus(amountOf(r.AmountTurnoverDr)),
      );
    }
    const services = [...revenue.keys()].sort();
    const weights = services.map((s) => revenue.get(s)!);
    const noRevenue = !weights.some((w) => w.gt(0));
    for (const r of [...book.rows("25"), ...book.rows("26")]) {
      const item = r.an.CostItems;
      if (d.DirectCosting || noRevenue) {
        book.close(
          r,
          { code: "90.02", an: {} },
          `${title}: ${r.code} на 90.02 (${d.DirectCosting ? "директ-костинг" : "выручки за месяц нет"})`,
        );
        continue;
      }
      largestRemainder(r.net, weights).forEach((share, i) => {
        const an: An = { ...(services[i] ? { Services: services[i] } : {}), ...(item ? { CostItems: item } : {}) };
        book.transfer(r, { code: "20.01", an }, share, `${title}: распределение ${r.code} пропорционально выручке`);
      });
    }
    // 2. 20 → 90.02 by service.
    for (const r of book.rows("20")) {
      const s = r.an.Services;
      book.close(
        r,
        { code: "90.02", an: s ? { Services: s } : {} },
        `${title}: списание ${r.code} на себестоимость продаж`,
      );
    }
    // 3–5. 90 → 90.09, 91 → 91.09, both → 99.
    for (const [parent, result, text] of [
      ["90", "90.09", "закрытие субсчетов счета 90"],
      ["91", "91.09", "закрытие субсчетов счета 91"],
    ] as const) {
      for (const r of book.rows(parent, [result])) book.close(r, { code: result, an: {} }, `${title}: ${text}`);
      book.close({ code: result, an: {} }, { code: "99", an: {} }, `${title}: финансовый результат ${result} на 99`);
    }
    // 6. December: the year's result to 84.
    if (month.slice(5, 7) === "12")
      book.close({ code: "99", an: {} }, { code: "84", an: {} }, `${title}: реформация баланса, 99 на 84`);

    for (const e of book.entries)
      ctx.movements.Accounting.add({
        period,
        AccountDr: e.dr.code,
        AccountCr: e.cr.code,
        AnalyticsDr: Object.keys(e.dr.an).length ? e.dr.an : undefined,
        AnalyticsCr: Object.keys(e.cr.an).length ? e.cr.an : undefined,
        Amount: e.amount.toFixed(2),
        Content: content(e.text),
      });
  },
});
