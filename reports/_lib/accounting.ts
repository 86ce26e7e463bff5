/**
 * Shared by the accountant's reports (docs/bookkeeping.md «Отчеты»): the chart ChartOfAccounts as
 * metadata/common/ledger.ts reads (ledger(ctx)), the presentation of
 * analytics values (one query per catalog), documents' numbers and dates by recorder, the entries
 * of a long period read month by month (the platform's entries read is bounded), and money helpers.
 * Every read goes through the typed report API (ctx.registers.Accounting.*).
 */
import { Decimal } from "decimal.js";
import type { Ledger, LedgerAccount } from "../../metadata/common/ledger.ts";
import type { ChartOfAccountsAnalytics } from "../../metadata/types.gen.ts";
import { addDays, addMonths, monthEnd } from "../../server/api.ts";
import type { TypedReportContext } from "./typed.ts";

export const ZERO = new Decimal(0);
/** The account a report parameter names (a reference), or the refusal naming the parameter. */
export function accountParam(ctx: TypedReportContext, chart: Ledger, id: string | null, field: string): LedgerAccount {
  const a = chart.find(id);
  if (!a) throw ctx.error("Выберите счет", { field });
  return a;
}

const CATALOG_OF: Record<ChartOfAccountsAnalytics, string> = {
  Counterparties: "Counterparties",
  PersonalAccounts: "PersonalAccounts",
  Buildings: "Buildings",
  Services: "Services",
  CostItems: "CostItems",
  Employees: "Employees",
};

/**
 * Presentations of the analytics values in `values` (by kind: ids), one query per catalog:
 * a personal account by its code, anything else by its name.
 */
export async function analyticsNames(
  ctx: TypedReportContext,
  values: Iterable<[ChartOfAccountsAnalytics, string]>,
): Promise<(kind: ChartOfAccountsAnalytics, id: string | null | undefined) => string> {
  const ids = new Map<ChartOfAccountsAnalytics, Set<string>>();
  for (const [k, v] of values) if (v) (ids.get(k) ?? ids.set(k, new Set()).get(k)!).add(v);
  const names = new Map<string, string>();
  for (const [k, set] of ids) {
    const rows = (await ctx.query(
      "catalog",
      CATALOG_OF[k] as "Counterparties",
      {
        id: [...set],
      } as never,
    )) as unknown as { id: string; code?: string; name?: string }[];
    for (const r of rows)
      names.set(r.id, k === "PersonalAccounts" ? String(r.code ?? r.name) : String(r.name || r.code));
  }
  return (_kind, id) => (id ? (names.get(id) ?? "<объект не найден>") : "<пусто>");
}

/** The analytics of a row ({ kind: id }) as text, in the account's slot order: "ул. Ленина, 1; ХВС". */
export function analyticsText(
  account: LedgerAccount | undefined,
  analytics: Record<string, string> | null | undefined,
  name: (kind: ChartOfAccountsAnalytics, id: string | null | undefined) => string,
): string {
  if (!account || !analytics) return "";
  return account.kinds
    .filter((k) => analytics[k])
    .map((k) => name(k, analytics[k]))
    .join("; ");
}

/** Documents by id (numbers, dates, presentations), one query per document kind. */
export async function documentsById(
  ctx: TypedReportContext,
  recorders: { recorder: string; recorderKind: string | null }[],
): Promise<Map<string, Record<string, unknown> & { number: string; date: string }>> {
  const byKind = new Map<string, Set<string>>();
  for (const r of recorders)
    if (r.recorderKind)
      (byKind.get(r.recorderKind) ?? byKind.set(r.recorderKind, new Set()).get(r.recorderKind)!).add(r.recorder);
  const out = new Map<string, Record<string, unknown> & { number: string; date: string }>();
  for (const [kind, ids] of byKind) {
    const rows = (await ctx.query("document", kind as "Payment", { id: [...ids] } as never)) as unknown as (Record<
      string,
      unknown
    > & { id: string; number: string; date: string })[];
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** Document synonyms by name, for «Поступление наличных 0000001 от …». */
export const DOCUMENT_TITLES: Record<string, string> = {
  ManualOperation: "Операция",
  CashReceipt: "Приходный кассовый ордер",
  CashDisbursement: "Расходный кассовый ордер",
  SupplierInvoice: "Поступление (акт, накладная)",
  MonthClose: "Закрытие месяца",
  BankStatement: "Банковская выписка",
  BankPayment: "Платежное поручение",
  GroupAccrual: "Групповое начисление",
  Recalculation: "Перерасчет",
  Payment: "Оплата",
  OpeningBalances: "Ввод начальных остатков",
  ServiceRequest: "Заявка",
};

export type Entry = Awaited<ReturnType<TypedReportContext["registers"]["Accounting"]["entries"]>>[number];

const ENTRIES_LIMIT = 5000;

/**
 * The entries of [from, to] (dates) touching `account` (with sub-accounts; any when omitted),
 * read month by month — a month with more entries than one read holds is read day by day; a day
 * with more is refused naming it.
 */
export async function entriesOf(
  ctx: TypedReportContext,
  from: string,
  to: string,
  account?: string | string[],
): Promise<Entry[]> {
  const filter = account === undefined ? undefined : { Account: account };
  const out: Entry[] = [];
  const read = async (f: string, t: string, byDay: boolean) => {
    const rows = await ctx.registers.Accounting.entries(f, t, filter, ENTRIES_LIMIT);
    if (rows.length < ENTRIES_LIMIT) return void out.push(...rows);
    if (byDay)
      throw ctx.error(`За ${f.split("-").reverse().join(".")} проводок больше ${ENTRIES_LIMIT}: отчет их не выводит`, {
        field: "from",
      });
    for (let d = f; d <= t; d = addDays(d, 1)) await read(d, d, true);
  };
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) {
    const f = m < from ? from : m;
    const end = monthEnd(m);
    await read(f, end > to ? to : end, false);
  }
  return out;
}

export const dec = (v: unknown) => (Decimal.isDecimal(v) ? (v as Decimal) : new Decimal(String(v ?? 0)));

/** The period's checks shared by the forms: both dates, the end not before the start. */
export function period(ctx: TypedReportContext, from: string, to: string): { from: string; to: string } {
  if (to < from) throw ctx.error("Конец периода раньше его начала", { field: "to" });
  return { from, to };
}
