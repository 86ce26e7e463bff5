/**
 * Bookkeeping (бухгалтерский учет) of the ЖКХ documents: the accounting policy (register
 * AccountingPolicy) and the entries each document posts into the register Accounting beside its
 * operational movements, in the same transaction (docs/bookkeeping.md; Приказ Минфина 94н).
 *
 * The policy. `loadPolicy(ctx, at)` reads AccountingPolicy as of `at` (one sliceLast) and the chart
 * (one query); `policy.accountsFor(service, organization)` answers the accounts of one service of
 * one organization (the payee: Services.Payee, else the building's organization). For every
 * account the most specific record that fills it wins — (organization, service), (—, service),
 * (organization, —), (—, —) — else the 94н default (POLICY_DEFAULTS). A capital repair service's
 * bank account is 55.04, the fund's special account, unless a record of that service names another
 * (records without a service do not apply to it). A code not in the chart, or an account
 * with sub-accounts, refuses the posting naming the record and the field (nothing is posted).
 * `accountsFor(ctx, service, organization, at)` is the one-call form for other documents.
 *
 * The entries (amounts in kopecks, aggregated; zero sums post nothing):
 *  - accrualEntries (GroupAccrual, Recalculation, paid service requests): per building and
 *    service, Дт Receivable (62.01: Buildings, Services) Кт Revenue (90.01: Services) the charge
 *    (Accruals.Amount + Accruals.Recalculation — a negative recalculation is a storno: the same
 *    entry with a negative sum); the benefit Дт Benefit (76.09: the social protection
 *    counterparty) Кт Receivable — the company's revenue is the full charge, the budget owes the
 *    benefit part (ЖК 159–160, ФЗ 181 ст.17: the benefit is compensated by the budget, not waived by
 *    the company); VAT of a service with a rate, of an organization on ОСНО: Дт 90.03 Кт 68.02 the
 *    rate/(100+rate) part of its revenue, rounded half up per service; penalties (Penalties
 *    records) per building Дт Penalty (76.02: Buildings) Кт PenaltyIncome (91.01: CostItems).
 *  - settlement moves (transfers): the Settlements changes of a document that are not a charge —
 *    a payment's netting of credits against debts, GroupAccrual's consumption of advances — per
 *    building and (service | advance) as Дт the key whose balance rose Кт the key whose balance
 *    fell (greedy, in key order); what is left is against the document's counter account:
 *    Payment Дт Bank/Cash/Agent (by Payment.SourceKind; the account of the service's policy) Кт
 *    the key; OpeningBalances (every key against 000, none netted) Дт the key Кт 000 (a credit:
 *    Дт 000 Кт the key). A key without a
 *    service (an advance, Service empty) is the Advance account (62.02: Buildings).
 */
import { Decimal } from "decimal.js";
import type { Row, TypedEntryAdder } from "../../server/api.ts";
import type { Configuration, Query, ServicesCatalog } from "../types.gen.ts";
import { ledger } from "./ledger.ts";
import { vatPercent, vatWithin } from "./vat.ts";

/** The accounts of one service of one organization, as codes, and the analytics values the policy gives. */
export interface PolicyAccounts {
  Receivable: string;
  Advance: string;
  Revenue: string;
  Vat: string;
  VatPayable: string;
  Penalty: string;
  PenaltyIncome: string;
  PenaltyIncomeItem: string | null;
  Benefit: string;
  BenefitCounterparty: string | null;
  Bank: string;
  Cash: string;
  Agent: string;
  Opening: string;
}

/** Each account of PolicyAccounts: the register's resource, its synonym (for refusals) and the 94н default. */
export const POLICY_FIELDS = [
  ["Receivable", "ReceivableAccount", "Счет расчетов с потребителями", "62.01"],
  ["Advance", "AdvanceAccount", "Счет авансов полученных", "62.02"],
  ["Revenue", "RevenueAccount", "Счет выручки", "90.01"],
  ["Vat", "VatAccount", "Счет НДС с продаж", "90.03"],
  ["VatPayable", "VatPayableAccount", "Счет расчетов по НДС", "68.02"],
  ["Penalty", "PenaltyAccount", "Счет учета пени", "76.02"],
  ["PenaltyIncome", "PenaltyIncomeAccount", "Счет доходов от пени", "91.01"],
  ["Benefit", "BenefitAccount", "Счет расчетов по льготам", "76.09"],
  ["Bank", "BankAccount", "Счет банка", "51"],
  ["Cash", "CashAccount", "Счет кассы", "50.01"],
  ["Agent", "AgentAccount", "Счет платежных агентов", "57.01"],
  ["Opening", "OpeningAccount", "Вспомогательный счет остатков", "000"],
] as const;

type AccountKey = (typeof POLICY_FIELDS)[number][0];

/** The 94н defaults, used where no AccountingPolicy record fills an account. */
export const POLICY_DEFAULTS: Readonly<Record<AccountKey, string>> = Object.freeze(
  Object.fromEntries(POLICY_FIELDS.map(([k, , , d]) => [k, d])) as Record<AccountKey, string>,
);
/** A capital repair contribution's money goes to the special account (ЖК 170, 175; 94н: 55). */
export const CAPITAL_REPAIR_BANK_ACCOUNT = "55.04";

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const ref = (v: unknown): string | null => (typeof v === "string" && v !== "" && v !== ZERO_UUID ? v : null);
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

type ServiceFacts = Pick<ServicesCatalog, "id" | "name" | "CapitalRepair"> & Partial<ServicesCatalog>;

/** Analytics values an entry side may take; each account takes the kinds it has. */
export interface AnalyticsValues {
  Buildings?: string | null;
  Services?: string | null;
  Counterparties?: string | null;
  CostItems?: string | null;
  PersonalAccounts?: string | null;
}

export interface Policy {
  /** The accounts of `service` (null: the organization's own, e.g. penalties) of `organization` — checked. */
  accountsFor(service: ServiceFacts | null, organization: string | null): PolicyAccounts;
  /** The analytics of one side for `code`: the values of the kinds the account has (null for the others). */
  analytics(code: string, values: AnalyticsValues): Record<string, string | null> | undefined;
}

/** 'YYYY-MM-DD…' → 'DD.MM.YYYY'. */
const day = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** Reads the accounting policy as of `at` and the chart: one sliceLast and one query (plus names for a refusal). */
export async function loadPolicy(ctx: Query, at: string): Promise<Policy> {
  const records = await ctx.info.AccountingPolicy.sliceLast(at);
  const chart = await ledger(ctx);
  const byKey = new Map<string, (typeof records)[number]>();
  for (const r of records) byKey.set(`${ref(r.Organization) ?? ""}|${ref(r.Service) ?? ""}`, r);

  const names = new Map<string, string>();
  const nameOf = async (kind: "Organizations" | "Services", id: string | null): Promise<string> => {
    if (!id) return "любая";
    if (!names.has(id)) {
      const [o] = await ctx.query("catalog", kind, { id }, 1);
      names.set(id, o ? `«${o.name}»` : id);
    }
    return names.get(id) ?? id;
  };
  // Refusal texts are built once per bad record and field.
  const refusals = new Map<string, string>();
  const check = (code: string): "missing" | "parent" | null => {
    const a = chart.find(code);
    if (!a) return "missing";
    return a.children.length > 0 ? "parent" : null;
  };
  // Names of the records' organizations and services, so a refusal (thrown synchronously) can name them.
  for (const r of records) {
    await nameOf("Organizations", ref(r.Organization));
    await nameOf("Services", ref(r.Service));
  }
  const subs = (code: string) => (chart.find(code)?.children ?? []).join(", ");
  const refuse = (code: string, why: "missing" | "parent", field: string, synonym: string, rec: Row | null): never => {
    const where = rec
      ? `запись регистра «Учетная политика (счета учета)» (организация ${names.get(ref(rec.Organization) ?? "") ?? "любая"}, услуга ${names.get(ref(rec.Service) ?? "") ?? "любая"}, с ${day(String(rec.period ?? ""))})`
      : "значение по умолчанию (записи регистра «Учетная политика (счета учета)» нет)";
    const what =
      why === "missing"
        ? `счета «${code}» нет в плане счетов`
        : `у счета ${code} есть субсчета (${subs(code)}) — укажите субсчет`;
    const key = `${where}|${field}`;
    const message =
      refusals.get(key) ??
      `Учетная политика: «${synonym}» = «${code}»: ${what}; исправьте ${where}, поле «${synonym}» (${field})`;
    refusals.set(key, message);
    throw ctx.error(message);
  };

  const cache = new Map<string, PolicyAccounts>();
  return {
    accountsFor(service, organization) {
      const sid = service?.id ?? null;
      const key = `${organization ?? ""}|${sid ?? ""}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const chain = [
        byKey.get(`${organization ?? ""}|${sid ?? ""}`),
        sid ? byKey.get(`|${sid}`) : undefined,
        organization ? byKey.get(`${organization}|`) : undefined,
        byKey.get("|"),
      ].filter((r): r is NonNullable<typeof r> => r !== undefined);
      // A capital repair contribution's money goes to the fund's special account: its bank account
      // is only what a record of that very service says, never a general record's «51».
      const capitalRepair = service?.CapitalRepair === true;
      const pick = (resource: string): { value: string | null; rec: Row | null } => {
        for (const r of chain) {
          if (capitalRepair && resource === "BankAccount" && ref(r.Service) === null) continue;
          const v = (r as Row)[resource];
          if (ref(v) !== null) return { value: String(v).trim(), rec: r as Row };
        }
        return { value: null, rec: null };
      };
      const out = {} as Record<string, string | null>;
      for (const [k, resource, synonym, def] of POLICY_FIELDS) {
        const got = pick(resource);
        const code = text(got.value) ?? (k === "Bank" && capitalRepair ? CAPITAL_REPAIR_BANK_ACCOUNT : def);
        const why = check(code);
        if (why) refuse(code, why, resource, synonym, got.rec);
        out[k] = code;
      }
      out.PenaltyIncomeItem = pick("PenaltyIncomeItem").value;
      out.BenefitCounterparty = pick("BenefitCounterparty").value;
      const accounts = out as unknown as PolicyAccounts;
      cache.set(key, accounts);
      return accounts;
    },
    analytics(code, values) {
      const a = chart.find(code);
      if (!a || a.kinds.length === 0) return undefined;
      const v = values as Record<string, string | null | undefined>;
      return Object.fromEntries(a.kinds.map((k) => [k, v[k] ?? null]));
    },
  };
}

/** The accounts of one service (or none: the organization's own) of one organization as of `at` (see loadPolicy). */
export async function accountsFor(
  ctx: Query,
  service: ServiceFacts | null,
  organization: string | null,
  at: string,
): Promise<PolicyAccounts> {
  return (await loadPolicy(ctx, at)).accountsFor(service, organization);
}

// ---- amounts ------------------------------------------------------------------------------------

/**
 * A decimal string of at most 2 places ('868.41', '-0.5', '0') → kopecks as an exact integer
 * Number, read digit by digit (no float ever); NaN for anything else (the caller falls back to
 * kopecks()). The hot path of the accrual's entries: hundreds of thousands of values.
 */
function fastKopecks(v: string): number {
  const n = v.length;
  let i = 0;
  let neg = false;
  if (v.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let k = 0;
  let places = -1;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (places >= 0) return Number.NaN;
      places = 0;
    } else if (c >= 48 && c <= 57) {
      k = k * 10 + (c - 48);
      if (places >= 0 && ++places > 2) return Number.NaN;
    } else return Number.NaN;
  }
  if (places < 2) k *= places === 1 ? 10 : 100;
  return Number.isSafeInteger(k) ? (neg ? -k : k) : Number.NaN;
}

/** kopecks() of a value as a safe-integer Number (exact; falls back to the BigInt path off the hot path). */
function kopecksNumber(v: unknown): number {
  if (v === null || v === undefined || v === "" || v === 0) return 0;
  if (typeof v === "string") {
    const k = fastKopecks(v);
    if (!Number.isNaN(k)) return k;
  }
  return Number(kopecks(v));
}

/** A register value ('868.41', '-0.5', a Decimal, a number) → kopecks, exactly (2 places). */
export function kopecks(v: unknown): bigint {
  if (v === null || v === undefined || v === "") return 0n;
  if (typeof v === "string" && /^-?\d+(\.\d{0,2})?$/.test(v)) {
    const neg = v.startsWith("-");
    const s = neg ? v.slice(1) : v;
    const dot = s.indexOf(".");
    const k = dot < 0 ? BigInt(s) * 100n : BigInt(s.slice(0, dot) + s.slice(dot + 1).padEnd(2, "0"));
    return neg ? -k : k;
  }
  return BigInt(new Decimal(String(v)).times(100).toFixed(0));
}

const amountText = (k: bigint): string => {
  const neg = k < 0n;
  const a = neg ? -k : k;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
};

// ---- entries ------------------------------------------------------------------------------------

type Side = { account: string; analytics: Record<string, string | null> | undefined };
type EntryAdder = TypedEntryAdder<NonNullable<Configuration["accountingRegisters"]>["Accounting"]>;

/** Entries aggregated by their accounts, analytics and content before they are added. */
export class Ledger {
  private readonly entries = new Map<string, { dr: Side; cr: Side; content: string; amount: bigint }>();
  constructor(private readonly policy: Policy) {}

  side(account: string, values: AnalyticsValues): Side {
    return { account, analytics: this.policy.analytics(account, values) };
  }

  add(dr: Side, cr: Side, amount: bigint, content: string): void {
    if (amount === 0n) return;
    const key = `${dr.account}|${JSON.stringify(dr.analytics ?? null)}|${cr.account}|${JSON.stringify(cr.analytics ?? null)}|${content}`;
    const e = this.entries.get(key);
    if (e) e.amount += amount;
    else this.entries.set(key, { dr, cr, content, amount });
  }

  /** Adds the entries to the document's record set (zero sums dropped), in the order first met. */
  flush(adder: EntryAdder): void {
    for (const e of this.entries.values())
      if (e.amount !== 0n)
        adder.add({
          AccountDr: e.dr.account,
          AccountCr: e.cr.account,
          AnalyticsDr: e.dr.analytics,
          AnalyticsCr: e.cr.analytics,
          Amount: amountText(e.amount),
          Content: e.content,
        });
  }
}

/** What the entries of a document need to know of its accounts, buildings, services and organizations. */
export interface Facts {
  policy: Policy;
  /** Personal account → its building (null: none). */
  buildingOf: Map<string, string | null>;
  /** Building → its organization. */
  organizationOf: Map<string, string | null>;
  services: Map<string, ServicesCatalog>;
  /** Organization → its tax regime (read only for charges: VAT). */
  taxRegimeOf: Map<string, string | null>;
  /** Personal account → its code (л/с). */
  codeOf: Map<string, string>;
}

/** Reads the facts for the entries of `accounts` (personal accounts' ids, or catalog rows with Building). */
export async function loadFacts(
  ctx: Query,
  at: string,
  accounts: string[] | { id: string; code?: string; Building: string | null }[],
  opts: { taxes?: boolean } = {},
): Promise<Facts> {
  const rows =
    accounts.length && typeof accounts[0] === "string"
      ? await ctx.query("catalog", "PersonalAccounts", { id: [...new Set(accounts as string[])] })
      : (accounts as { id: string; code?: string; Building: string | null }[]);
  const buildingOf = new Map<string, string | null>();
  const codeOf = new Map<string, string>();
  for (const a of rows) {
    buildingOf.set(a.id, ref(a.Building));
    if (a.code) codeOf.set(a.id, a.code);
  }
  const buildingIds = [...new Set([...buildingOf.values()].filter((b): b is string => b !== null))];
  const buildings = buildingIds.length ? await ctx.query("catalog", "Buildings", { id: buildingIds }) : [];
  const organizations = opts.taxes === false ? [] : await ctx.query("catalog", "Organizations", {});
  return {
    policy: await loadPolicy(ctx, at),
    buildingOf,
    organizationOf: new Map(buildingIds.map((b) => [b, ref(buildings.find((x) => x.id === b)?.Organization)])),
    services: new Map((await ctx.query("catalog", "Services", {})).map((s) => [s.id, s])),
    taxRegimeOf: new Map(organizations.map((o) => [o.id, o.TaxRegime])),
    codeOf,
  };
}

/** The organization a service's charges belong to: its Payee, else the building's organization. */
function payeeOf(f: Facts, building: string | null, service: string | null): string | null {
  const s = service ? f.services.get(service) : undefined;
  return ref(s?.Payee) ?? (building ? (f.organizationOf.get(building) ?? null) : null);
}

function accountsOf(f: Facts, building: string | null, service: string | null): PolicyAccounts {
  const s = service ? (f.services.get(service) ?? null) : null;
  return f.policy.accountsFor(s, payeeOf(f, building, service));
}

/** The receivable side of a Settlements key: the service's receivable, or (no service) the advance account. */
function keySide(ledger: Ledger, f: Facts, building: string | null, service: string | null): Side {
  const acc = accountsOf(f, building, service);
  return service
    ? ledger.side(acc.Receivable, { Buildings: building, Services: service })
    : ledger.side(acc.Advance, { Buildings: building });
}

/**
 * Charges (Accruals records: Amount + Recalculation, Benefits) and penalties (Penalties records)
 * as entries — see the header. `content` names the document's month («Начисление за ноябрь 2011»).
 */
export function accrualEntries(
  ledger: Ledger,
  f: Facts,
  accruals: readonly Row[],
  penalties: readonly Row[],
  content: { revenue: string; benefits: string; vat: string; penalties: string },
): void {
  // building → service → [revenue, benefits] in kopecks: safe-integer Numbers (exact up to 2^53
  // kopecks, 90 trillion roubles, checked), the account's building looked up once per run of its rows
  const sums = new Map<string | null, Map<string, [number, number]>>();
  let lastAccount: unknown;
  let m: Map<string, [number, number]> | undefined;
  for (const r of accruals) {
    if (r.Account !== lastAccount || !m) {
      lastAccount = r.Account;
      const building = f.buildingOf.get(r.Account as string) ?? null;
      m = sums.get(building);
      if (!m) sums.set(building, (m = new Map()));
    }
    const service = r.Service as string;
    let s = m.get(service);
    if (!s) m.set(service, (s = [0, 0]));
    s[0] += kopecksNumber(r.Amount) + kopecksNumber(r.Recalculation);
    s[1] += kopecksNumber(r.Benefits);
  }
  for (const bm of sums.values())
    for (const [service, [a, b]] of bm)
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b))
        throw new Error(`accrualEntries: the sum of service ${service} passes 2^53 kopecks`);
  // VAT per (organization, service) of the revenue
  const vatBase = new Map<string, { org: string | null; service: string; amount: bigint }>();
  for (const [building, byService] of sums)
    for (const [service, [rev, ben]] of byService) {
      const revenue = BigInt(rev);
      const benefits = BigInt(ben);
      const acc = accountsOf(f, building, service);
      const receivable = ledger.side(acc.Receivable, { Buildings: building, Services: service });
      ledger.add(receivable, ledger.side(acc.Revenue, { Services: service }), revenue, content.revenue);
      ledger.add(
        ledger.side(acc.Benefit, { Counterparties: acc.BenefitCounterparty }),
        receivable,
        benefits,
        content.benefits,
      );
      const org = payeeOf(f, building, service);
      const k = `${org ?? ""}|${service}`;
      const v = vatBase.get(k) ?? { org, service, amount: 0n };
      v.amount += revenue;
      vatBase.set(k, v);
    }
  for (const { org, service, amount } of vatBase.values()) {
    const p = vatPercent(f.services.get(service)?.VatRate);
    const regime = org ? (f.taxRegimeOf.get(org) ?? null) : null;
    if (!p || (regime !== null && regime !== "General")) continue;
    const acc = f.policy.accountsFor(f.services.get(service) ?? null, org);
    ledger.add(
      ledger.side(acc.Vat, { Services: service }),
      ledger.side(acc.VatPayable, {}),
      BigInt(vatWithin(new Decimal(amount.toString()).div(100), p).times(100).toFixed(0)),
      content.vat,
    );
  }
  const pen = new Map<string | null, bigint>();
  for (const r of penalties) {
    const building = f.buildingOf.get(r.Account as string) ?? null;
    const k = kopecks(r.Amount) * (r.kind === "expense" ? -1n : 1n);
    pen.set(building, (pen.get(building) ?? 0n) + k);
  }
  for (const [building, amount] of pen) {
    const acc = accountsOf(f, building, null);
    ledger.add(
      ledger.side(acc.Penalty, { Buildings: building, Services: null }),
      ledger.side(acc.PenaltyIncome, { CostItems: acc.PenaltyIncomeItem }),
      amount,
      content.penalties,
    );
  }
}

/**
 * Settlements changes (receipt +, expense −) per building and service as entries: the moves
 * between keys (Дт the key that rose, Кт the key that fell), and what is left against `counter`
 * (the key's counter side: Payment's bank / cash / agent account, OpeningBalances' 000). Without a
 * counter the changes must net to zero per building (GroupAccrual's consumption of advances).
 */
export function settlementEntries(
  ledger: Ledger,
  f: Facts,
  rows: readonly Row[],
  content: { move: string; counter: string },
  counter?: (building: string | null, service: string | null) => Side,
  /** false: every key against the counter, none against another (opening balances) */
  net = true,
): void {
  const deltas = new Map<string | null, Map<string | null, bigint>>();
  for (const r of rows) {
    const building = f.buildingOf.get(r.Account as string) ?? null;
    let m = deltas.get(building);
    if (!m) deltas.set(building, (m = new Map()));
    const service = ref(r.Service);
    const k = kopecks(r.Amount) * (r.kind === "expense" ? -1n : 1n);
    m.set(service, (m.get(service) ?? 0n) + k);
  }
  for (const [building, m] of deltas) {
    const keys = [...m.entries()].sort(([a], [b]) => String(a ?? "").localeCompare(String(b ?? "")));
    const up = keys.filter(([, v]) => v > 0n).map(([s, v]) => ({ s, v }));
    const down = keys.filter(([, v]) => v < 0n).map(([s, v]) => ({ s, v: -v }));
    let i = 0;
    let j = 0;
    while (net && i < up.length && j < down.length) {
      const x = up[i].v < down[j].v ? up[i].v : down[j].v;
      ledger.add(keySide(ledger, f, building, up[i].s), keySide(ledger, f, building, down[j].s), x, content.move);
      up[i].v -= x;
      down[j].v -= x;
      if (up[i].v === 0n) i++;
      if (down[j].v === 0n) j++;
    }
    const rest = [...up.slice(i), ...down.slice(j)].filter((x) => x.v !== 0n);
    if (rest.length && !counter)
      throw new Error(`settlementEntries: changes of building ${building} do not net to zero and no counter account`);
    for (; i < up.length; i++)
      ledger.add(keySide(ledger, f, building, up[i].s), counter!(building, up[i].s), up[i].v, content.counter);
    for (; j < down.length; j++)
      ledger.add(counter!(building, down[j].s), keySide(ledger, f, building, down[j].s), down[j].v, content.counter);
  }
}

/** The policy account of a payment's source (Payment.SourceKind: Cash, Agent, else the bank). */
export function sourceSide(
  ledger: Ledger,
  f: Facts,
  building: string | null,
  service: string | null,
  source: string | null,
  agent: string | null,
): Side {
  const acc = accountsOf(f, building, service);
  if (source === "Cash") return ledger.side(acc.Cash, {});
  if (source === "Agent") return ledger.side(acc.Agent, { Counterparties: agent });
  return ledger.side(acc.Bank, {});
}

/** The penalty account side of a building (Penalties records of a payment, an opening). */
export function penaltySide(ledger: Ledger, f: Facts, building: string | null): Side {
  return ledger.side(accountsOf(f, building, null).Penalty, { Buildings: building, Services: null });
}

/** The opening balances' counter (000) of a key. */
export function openingSide(ledger: Ledger, f: Facts, building: string | null, service: string | null): Side {
  return ledger.side(accountsOf(f, building, service).Opening, {});
}

/** Penalties records of one document per building (receipt +, expense −), in kopecks. */
export function penaltiesByBuilding(f: Facts, rows: readonly Row[]): Map<string | null, bigint> {
  const out = new Map<string | null, bigint>();
  for (const r of rows) {
    const building = f.buildingOf.get(r.Account as string) ?? null;
    out.set(building, (out.get(building) ?? 0n) + kopecks(r.Amount) * (r.kind === "expense" ? -1n : 1n));
  }
  return out;
}

// ---- the documents' entries ---------------------------------------------------------------------

/** What a posting gives the entries: the queries and the Accounting record set. */
type Ctx = Query & { movements: { Accounting: EntryAdder } };

/**
 * GroupAccrual, Recalculation (and any document charging through Accruals): the charges,
 * benefits, VAT and penalties of `accruals` / `penalties`, and the Settlements `moves` that are not
 * charges (GroupAccrual's consumption of advances), at `at` (the document's date: the policy's date).
 */
export async function postAccrualEntries(
  ctx: Ctx,
  opts: {
    at: string;
    accounts: string[] | { id: string; Building: string | null }[];
    accruals: readonly Row[];
    penalties?: readonly Row[];
    moves?: readonly Row[];
    /** «за ноябрь 2011», «перерасчет за …» — the entries' content ends with it. */
    label: string;
  },
): Promise<void> {
  if (!opts.accruals.length && !opts.penalties?.length && !opts.moves?.length) return;
  const f = await loadFacts(ctx, opts.at, opts.accounts);
  const ledger = new Ledger(f.policy);
  accrualEntries(ledger, f, opts.accruals, opts.penalties ?? [], {
    revenue: `Начисление ${opts.label}`,
    benefits: `Льготы ${opts.label}`,
    vat: `НДС ${opts.label}`,
    penalties: `Пени ${opts.label}`,
  });
  if (opts.moves?.length) settlementEntries(ledger, f, opts.moves, { move: `Зачет аванса ${opts.label}`, counter: "" });
  ledger.flush(ctx.movements.Accounting);
}

/** Payment: its Settlements and Penalties records against the source's account (Дт 51 / 50.01 / 57.01 Кт 62.01, 62.02, 76.02). */
export async function postPaymentEntries(
  ctx: Ctx,
  opts: {
    at: string;
    account: string;
    source: string | null;
    agent: string | null;
    settlements: readonly Row[];
    penalties: readonly Row[];
    /** the entries' content after «Оплата» (default «л/с <code>») */
    label?: string;
  },
): Promise<void> {
  const f = await loadFacts(ctx, opts.at, [opts.account], { taxes: false });
  paymentEntries(f, opts, ctx.movements.Accounting);
}

/**
 * A payment's entries from facts already read (`f`: its account among them, the policy of its
 * month) — the set posting of payments reads the facts once for all of them.
 */
export function paymentEntries(
  f: Facts,
  opts: Parameters<typeof postPaymentEntries>[1],
  adder: Ctx["movements"]["Accounting"],
): void {
  const ledger = new Ledger(f.policy);
  const label = opts.label ?? `л/с ${f.codeOf.get(opts.account) ?? ""}`;
  settlementEntries(
    ledger,
    f,
    opts.settlements,
    { move: `Зачет переплаты ${label}`, counter: `Оплата ${label}` },
    (b, s) => sourceSide(ledger, f, b, s, opts.source, opts.agent),
  );
  for (const [building, amount] of penaltiesByBuilding(f, opts.penalties)) {
    // a payment's penalties are expenses: −amount is what was paid
    const src = sourceSide(ledger, f, building, null, opts.source, opts.agent);
    ledger.add(src, penaltySide(ledger, f, building), -amount, `Оплата пени ${label}`);
  }
  ledger.flush(adder);
}

/** OpeningBalances: debts Дт 62.01 (a credit: Кт) and penalties Дт 76.02 against 000. */
export async function postOpeningEntries(
  ctx: Ctx,
  opts: { at: string; accounts: string[]; settlements: readonly Row[]; penalties: readonly Row[] },
): Promise<void> {
  if (!opts.settlements.length && !opts.penalties.length) return;
  const f = await loadFacts(ctx, opts.at, opts.accounts, { taxes: false });
  const ledger = new Ledger(f.policy);
  settlementEntries(
    ledger,
    f,
    opts.settlements,
    { move: "Ввод остатков", counter: "Ввод остатков" },
    (b, s) => openingSide(ledger, f, b, s),
    false,
  );
  for (const [building, amount] of penaltiesByBuilding(f, opts.penalties))
    if (amount >= 0n)
      ledger.add(
        penaltySide(ledger, f, building),
        openingSide(ledger, f, building, null),
        amount,
        "Ввод остатков пени",
      );
    else
      ledger.add(
        openingSide(ledger, f, building, null),
        penaltySide(ledger, f, building),
        -amount,
        "Ввод остатков пени",
      );
  ledger.flush(ctx.movements.Accounting);
}
