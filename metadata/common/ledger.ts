/**
 * Shared by the bookkeeping documents typed by a user (ManualOperation, CashReceipt,
 * CashDisbursement, SupplierInvoice, MonthClose; docs/bookkeeping.md): the accounts of the chart
 * ChartOfAccounts as this data area has them (predefined and the administrator's sub-accounts),
 * the analytics columns of a row by kind, and checks that name the row and the field to fix —
 * the platform checks every entry again when it is written (server/accounting/entries.ts), but
 * its refusal names the entry, not the document's row.
 */
import { Decimal } from "decimal.js";
import type { AccountKinds, ChartOfAccountsAnalytics, Query } from "../types.gen.ts";

/** A row's column of each analytics kind, without the side's suffix (Dr / Cr). */
export const ANALYTICS_COLUMN: Record<ChartOfAccountsAnalytics, string> = {
  Counterparties: "Counterparty",
  PersonalAccounts: "PersonalAccount",
  Buildings: "Building",
  Services: "Service",
  CostItems: "CostItem",
  Employees: "Employee",
};

/** The synonyms of the analytics kinds, as the chart names them. */
export const ANALYTICS_SYNONYM: Record<ChartOfAccountsAnalytics, string> = {
  Counterparties: "Контрагенты",
  PersonalAccounts: "Лицевые счета",
  Buildings: "Здания",
  Services: "Услуги",
  CostItems: "Статьи затрат",
  Employees: "Работники",
};

export interface LedgerAccount {
  id: string;
  code: string;
  name: string;
  parent: string | null;
  kind: AccountKinds;
  offBalance: boolean;
  /** Analytics kinds in slot order; a sub-account without its own takes its parent's. */
  kinds: ChartOfAccountsAnalytics[];
  /** Codes of its sub-accounts in code order (entries go to one of them). */
  children: string[];
  /** 0 for a first-level account. */
  depth: number;
}

export interface Ledger {
  byId: Map<string, LedgerAccount>;
  /** By the code as the chart spells it. */
  byCode: Map<string, LedgerAccount>;
  /** Every account in the reports' order: balance accounts by code, then the off-balance ones. */
  ordered: LedgerAccount[];
  /** The account by id or code (any letter case), or undefined. */
  find(v: string | null | undefined): LedgerAccount | undefined;
  /** The first-level account of an account (itself when it has no parent). */
  top(code: string): LedgerAccount;
  /** Whether `code` is `root` or one of its sub-accounts (at any depth). */
  within(code: string | null | undefined, root: string): boolean;
}

/**
 * The chart's accounts (not marked for deletion) in one query — the one reading of the chart for
 * the documents, the accounting policy (common/bookkeeping.ts, registers/AccountingPolicy.ts) and
 * the accountant's reports (reports/_lib/accounting.ts).
 */
export async function ledger(ctx: Pick<Query, "query">): Promise<Ledger> {
  const rows = (await ctx.query("catalog", "ChartOfAccounts", {})).filter((r) => !r.deletionMark);
  const byId = new Map<string, LedgerAccount>();
  for (const r of rows)
    byId.set(r.id, {
      id: r.id,
      code: r.code,
      name: r.name,
      parent: r.parent,
      kind: r.Kind ?? "activePassive",
      offBalance: r.OffBalance === true,
      kinds: [r.Analytics1, r.Analytics2, r.Analytics3].filter((k): k is ChartOfAccountsAnalytics => !!k),
      children: [],
      depth: 0,
    });
  const parentOf = (a: LedgerAccount) => (a.parent ? byId.get(a.parent) : undefined);
  const ordered = [...byId.values()];
  for (const a of ordered) {
    for (let p = parentOf(a); p; p = parentOf(p)) a.depth++;
    for (let p = parentOf(a); p && a.kinds.length === 0; p = parentOf(p)) a.kinds = p.kinds;
  }
  ordered.sort(
    (x, y) => Number(x.offBalance) - Number(y.offBalance) || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0),
  );
  for (const a of ordered) parentOf(a)?.children.push(a.code);
  const byCode = new Map(ordered.map((a) => [a.code, a]));
  const byLowerCode = new Map(ordered.map((a) => [a.code.toLowerCase(), a]));
  return {
    byId,
    byCode,
    ordered,
    find: (v) => (v ? (byId.get(v) ?? byCode.get(v) ?? byLowerCode.get(v.toLowerCase())) : undefined),
    top(code) {
      let a = byCode.get(code)!;
      for (let p = parentOf(a); p; p = parentOf(p)) a = p;
      return a;
    },
    within(code, root) {
      for (let a = code ? byCode.get(code) : undefined; a; a = parentOf(a)) if (a.code === root) return true;
      return false;
    },
  };
}

type Side = "Dr" | "Cr";
/** Where a refusal points: the table and its 1-based line, or the header. */
export interface Where {
  /** "Проводки, строка 2" or "Документ" — the start of the message. */
  label: string;
  table?: string;
  line?: number;
}
type Fail = (message: string, target: { table?: string; line?: number; field?: string }) => Error;

/**
 * Checks the accounts of one entry as the user gave them and returns them: at least one side;
 * an account that exists and has no sub-accounts; a balance account with its corresponding side;
 * an off-balance account alone. `field` names each side's field in the row ("AccountDr").
 */
export function checkAccounts(
  l: Ledger,
  dr: string | null,
  cr: string | null,
  where: Where,
  fail: Fail,
  field: Record<Side, string> = { Dr: "AccountDr", Cr: "AccountCr" },
): { dr: LedgerAccount | null; cr: LedgerAccount | null } {
  const at = (side: Side) => ({ table: where.table, line: where.line, field: field[side] });
  const one = (v: string | null, side: Side): LedgerAccount | null => {
    if (!v) return null;
    const a = l.find(v);
    const name = side === "Dr" ? "Дт" : "Кт";
    if (!a) throw fail(`${where.label}: счета ${name} «${v}» нет в плане счетов`, at(side));
    if (a.children.length)
      throw fail(
        `${where.label}: у счета ${name} ${a.code} «${a.name}» есть субсчета — выберите субсчет (${a.children.join(", ")})`,
        at(side),
      );
    return a;
  };
  const d = one(dr, "Dr");
  const c = one(cr, "Cr");
  if (!d && !c) throw fail(`${where.label}: укажите счет Дт и счет Кт`, at("Dr"));
  for (const [a, other, missing] of [
    [d, c, "Cr"],
    [c, d, "Dr"],
  ] as const)
    if (a && !other && !a.offBalance)
      throw fail(
        `${where.label}: укажите счет ${missing === "Dr" ? "Дт" : "Кт"} — без корреспондирующего счета проводку принимает только забалансовый счет, а ${a.code} балансовый`,
        at(missing),
      );
  if (d && c && d.offBalance !== c.offBalance) {
    const off = d.offBalance ? d : c;
    throw fail(
      `${where.label}: забалансовый счет ${off.code} не корреспондирует с балансовыми — оставьте другой счет пустым`,
      at(d.offBalance ? "Cr" : "Dr"),
    );
  }
  return { dr: d, cr: c };
}

/**
 * One side's analytics of a row by kind, read from the row's columns <Column><Side>
 * (CounterpartyDr, BuildingCr…): a filled column of a kind the account has not is refused,
 * naming the field; empty ones are left out.
 */
export function rowAnalytics(
  account: LedgerAccount | null,
  row: object,
  side: Side,
  where: Where,
  fail: Fail,
  synonyms: Record<string, string> = {},
): Partial<Record<ChartOfAccountsAnalytics, string>> | undefined {
  const out: Partial<Record<ChartOfAccountsAnalytics, string>> = {};
  for (const [kind, column] of Object.entries(ANALYTICS_COLUMN) as [ChartOfAccountsAnalytics, string][]) {
    const field = `${column}${side}`;
    const v = (row as Record<string, unknown>)[field];
    if (v === null || v === undefined || v === "") continue;
    if (!account?.kinds.includes(kind))
      throw fail(
        `${where.label}: у счета ${side === "Dr" ? "Дт" : "Кт"} ${account?.code ?? "(не указан)"} нет субконто «${ANALYTICS_SYNONYM[kind]}» — очистите поле «${synonyms[field] ?? field}»${
          account?.kinds.length ? ` (у счета: ${account.kinds.map((k) => ANALYTICS_SYNONYM[k]).join(", ")})` : ""
        }`,
        { table: where.table, line: where.line, field },
      );
    out[kind] = String(v);
  }
  return Object.keys(out).length ? out : undefined;
}

/** Decimal of a stored number (null → 0). */
export const amountOf = (v: Decimal | string | number | null | undefined) =>
  v === null || v === undefined || v === "" ? new Decimal(0) : new Decimal(v);

/** One side's analytics: of the values at hand, those of the kinds the account has (empty ones left out). */
export function sideAnalytics(
  account: LedgerAccount | null,
  values: Partial<Record<ChartOfAccountsAnalytics, string | null | undefined>>,
): Partial<Record<ChartOfAccountsAnalytics, string>> | undefined {
  if (!account) return undefined;
  const out: Partial<Record<ChartOfAccountsAnalytics, string>> = {};
  for (const k of account.kinds) if (values[k]) out[k] = values[k]!;
  return Object.keys(out).length ? out : undefined;
}

/** The net (Дт − Кт) balance of an account with its sub-accounts at a moment, from Accounting. */
export async function netBalance(ctx: Query, code: string, at: string): Promise<Decimal> {
  const rows = await ctx.registers.Accounting.balance(at, { Account: code });
  return rows.reduce((s, r) => s.plus(amountOf(r.AmountDr)).minus(amountOf(r.AmountCr)), new Decimal(0));
}

/** An entry's content: at most 150 characters (the register's Content). */
export const content = (text: string) => (text.length > 150 ? `${text.slice(0, 149)}…` : text);
