// Групповое начисление за услуги (GroupAccrual): the month's charges, penalties and advances.
// Posting:
//  1. month = the first day of doc.Month; the accounts are the Accounts rows or, when the table
//     is empty, every account open in the month (opened by its last day, not closed before its
//     first day), of doc.Building when it is set.
//  2. Refuses a double accrual: another POSTED GroupAccrual of the same month that covers one
//     of these accounts (its Accounts rows, or all open accounts of its building / of all
//     buildings when its table is empty) and accrues the same thing (services, or penalties).
//     The message names that document's number and date and the account.
//  3. AccrueServices: reads every input in bulk (common/accrual-inputs.ts: a fixed number of
//     queries whatever the number of accounts); a connected service without a tariff for its
//     tariff kind is refused naming the service and tariff kind; every line (accrual-lines.ts:
//     priced by accrual.ts and accrual-meters.ts in exact scaled integers, explained by
//     accrual-explanation.ts) becomes one Accruals movement (period = month, with
//     its method, base, rate, readings and explanation as attributes) and one Settlements
//     receipt (DebtPeriod = month; lines of zero amount have none). The lines loop lets the
//     event loop run every 2,000 accounts.
//  4. AccruePenalties: accruePenalties (common/penalties.ts) for the same accounts.
//  5. consumeAdvances (common/distribution.ts): credits of these accounts pay the new charges,
//     by doc.DistributionMethod when chosen, else by the account's organization's
//     (Organizations.DistributionMethod), else OldestPeriodProportional — as a payment chooses.
//  6. Entries of Accounting (common/bookkeeping.ts, docs/bookkeeping.md), aggregated per building
//     and service: charges Дт 62.01 Кт 90.01, benefits Дт 76.09 Кт 62.01, VAT Дт 90.03 Кт 68.02,
//     penalties Дт 76.02 Кт 91.01, advances consumed Дт 62.02 Кт 62.01 — accounts by AccountingPolicy.
//  7. AccrualChanges (accrual-changes.ts): its own row — the moment this posting started (changes
//     recorded later by readings, tariffs or connections stay pending and the form lists them)
//     and what it computed: accounts, lines, amount, and on a repost the amount before, the
//     difference and the number of changes taken in (the form's message after «Начислить»).
// Progress (ctx.progress, the form's progress bar when posted in the background): one step per
// phase — accounts, the double-accrual check, inputs, lines, penalties, advances.
// Reposting replaces the previous results (the platform replaces each register's record set).
// Fill (Заполнить, Accounts): every open account of the month (of doc.Building if set), by code.
import { Decimal } from "decimal.js";
import type { RecordInput } from "../../server/api.ts";
import { daysInMonth, monthStart, nowMoment } from "../../server/api.ts";
import { ACCRUAL_SOURCE, accrualChanges, stampNow } from "./accrual-changes.ts";
import { accruePenalties } from "../common/penalties.ts";
import { consumeAdvances } from "../common/distribution.ts";
import { isOpen, loadInputs, openAccounts } from "../common/accrual-inputs.ts";
import { AccrualLineError, computeLines, missingTariff } from "../common/accrual-lines.ts";
import { dateText } from "../common/accrual-figures.ts";
import { type Configuration, defineDocument, type PersonalAccountsCatalog, type Posting } from "../types.gen.ts";
import { monthName } from "../common/texts.ts";
import { postAccrualEntries } from "../common/bookkeeping.ts";

type Registers = Configuration["accumulationRegisters"];

/**
 * ACCRUAL_PROFILE=1: the posting's phases with their times on stderr (bench/accrual.ts), and the
 * process's CPU time in each (the node side, without the waits for PostgreSQL).
 */
const PROFILE = process.env.ACCRUAL_PROFILE === "1";
let t0 = 0;
let cpu0 = 0;
const phase = (name: string) => {
  if (!PROFILE) return;
  const t = performance.now();
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1000;
  if (t0)
    process.stderr.write(`    accrual: ${name} ${(t - t0).toFixed(0)} ms (node cpu ${(cpu - cpu0).toFixed(0)} ms)\n`);
  t0 = t;
  cpu0 = cpu;
};

/** Every date of the month ('YYYY-MM-DD'): a document's Month may be any of them. */
function daysOf(month: string): string[] {
  const n = daysInMonth(month);
  return Array.from({ length: n }, (_, i) => `${month.slice(0, 8)}${String(i + 1).padStart(2, "0")}`);
}

/** The accounts of the document: its rows (deduplicated, in code order), or every open account. */
async function accountsOf(
  ctx: Posting<"GroupAccrual">,
  month: string,
): Promise<{ accounts: PersonalAccountsCatalog[]; explicit: boolean }> {
  const rows = ctx.doc.Accounts ?? [];
  if (rows.length === 0) return { accounts: await openAccounts(ctx, month, ctx.doc.Building), explicit: false };
  const ids = [...new Set(rows.map((r) => r.Account))];
  return { accounts: await ctx.query("catalog", "PersonalAccounts", { id: ids }), explicit: true };
}

/** Refuses when another posted GroupAccrual of the month already accrues one of these accounts. */
async function refuseDoubleAccrual(
  ctx: Posting<"GroupAccrual">,
  month: string,
  accounts: PersonalAccountsCatalog[],
): Promise<void> {
  const others = (
    await ctx.query("document", "GroupAccrual", { posted: true, Month: daysOf(month) }, { tables: true })
  ).filter(
    (d) =>
      d.id !== ctx.doc.id &&
      ((d.AccrueServices && ctx.doc.AccrueServices) || (d.AccruePenalties && ctx.doc.AccruePenalties)),
  );
  for (const d of others) {
    const listed = d.Accounts ?? [];
    const covers: (a: PersonalAccountsCatalog) => boolean = listed.length
      ? (
          (set) => (a: PersonalAccountsCatalog) =>
            set.has(a.id)
        )(new Set(listed.map((r) => r.Account)))
      : (a: PersonalAccountsCatalog) => (!d.Building || a.Building === d.Building) && isOpen(a, month);
    const a = accounts.find(covers);
    if (!a) continue;
    const line = (ctx.doc.Accounts ?? []).findIndex((r) => r.Account === a.id);
    throw ctx.error(
      `Лицевой счет ${a.code} (${a.name}) уже начислен за ${monthName(month)} документом «Групповое начисление за услуги» №${d.number} от ${dateText(String(d.date))}: отмените его проведение или уберите счет из списка`,
      line >= 0 ? { table: "Accounts", line: line + 1, field: "Account" } : { field: "Month" },
    );
  }
}

/** The phases of posting as the progress bar names them. */
const STEPS = [
  "Отбор лицевых счетов",
  "Проверка повторного начисления",
  "Чтение услуг, тарифов и показаний",
  "Расчет начислений",
  "Начисление пени",
  "Зачет авансов",
];

/**
 * What the services' accrual wrote: its lines, and the sum of their amounts in kopecks; the
 * accounts that got a line and the kopecks by service (the summary kept on the document).
 */
interface Totals {
  lines: number;
  kopecks: bigint;
  charged: Set<string>;
  byService: Map<string, bigint>;
}

/** '868.41' / '-0.50' (the register's scale, 2 places) → kopecks, exactly. */
const kopecksOf = (amount: string): bigint => {
  const dot = amount.indexOf(".");
  return dot < 0 ? BigInt(amount) * 100n : BigInt(amount.slice(0, dot) + amount.slice(dot + 1).padEnd(2, "0"));
};

async function accrueServices(
  ctx: Posting<"GroupAccrual">,
  month: string,
  accounts: PersonalAccountsCatalog[],
  explicit: boolean,
  computing: () => void,
  totals: Totals,
): Promise<void> {
  const inputs = await loadInputs(ctx, month, accounts, explicit);
  phase("inputs");
  computing();
  const missing = missingTariff(inputs);
  if (missing) throw ctx.error(missing, { field: "Month" });
  const period = `${month}T00:00:00`;
  const accruals = ctx.movements.Accruals;
  const settlements = ctx.movements.Settlements;
  // Each line comes with its record's fields as decimal strings of the register's scales (the
  // engine's fast path); one record may serve many accounts. One scratch record per register,
  // refilled for every line: add() copies it.
  const acc: RecordInput<Registers["Accruals"]> = { period, Account: null, Service: null };
  const set: RecordInput<Registers["Settlements"]> = {
    period,
    kind: "receipt",
    Account: null,
    Service: null,
    DebtPeriod: month,
    Amount: null,
  };
  try {
    await computeLines(inputs, (account, service, line) => {
      Object.assign(acc, line.fields);
      acc.Account = account;
      acc.Service = service;
      accruals.add(acc);
      totals.lines++;
      const k = kopecksOf(line.fields.Amount);
      totals.kopecks += k; // the charge before benefits (a 100 % benefit too)
      totals.charged.add(account);
      totals.byService.set(service, (totals.byService.get(service) ?? 0n) + k);
      if (!line.charged) return;
      set.Account = account;
      set.Service = service;
      set.Amount = line.due ?? line.fields.Amount;
      settlements.add(set);
    });
  } catch (e) {
    if (!(e instanceof AccrualLineError)) throw e;
    const line = e.account ? (ctx.doc.Accounts ?? []).findIndex((r) => r.Account === e.account) : -1;
    throw ctx.error(e.message, line >= 0 ? { table: "Accounts", line: line + 1, field: "Account" } : undefined);
  }
  phase("lines");
}

const money = (d: Decimal) => d.toFixed(2).replace(".", ",");

/** «ХВС 1 234,56, ГВС 789,00»: the kopecks of each service by its name, in the catalog's order. */
async function serviceTotals(ctx: Posting<"GroupAccrual">, byService: Map<string, bigint>): Promise<string> {
  if (byService.size === 0) return "";
  const services = await ctx.query("catalog", "Services", { id: [...byService.keys()] });
  return services.map((s) => `${s.name} ${money(new Decimal(String(byService.get(s.id) ?? 0n)).div(100))}`).join(", ");
}

/**
 * What this posting computed, in the words the form shows: the accounts, lines and amount, and
 * on a repost the amount before, the difference and the changes it took in. Never «done» alone.
 */
function accrualSummary(
  doc: { AccrueServices: boolean | null; AccruePenalties: boolean | null },
  accounts: number,
  lines: number,
  amount: Decimal,
  before: { Amount: Decimal | null; Lines: Decimal | null } | null,
  changes: number,
  split?: { charged: number; byService: string },
): string {
  const parts: string[] = [];
  if (doc.AccrueServices) {
    const what = `${accounts} л/с, ${lines} строк на сумму ${money(amount)}`;
    if (before) {
      const was = new Decimal(String(before.Amount ?? 0));
      const diff = amount.minus(was);
      parts.push(
        `Пересчитано: ${what} (было ${money(was)}, разница ${diff.gt(0) ? "+" : ""}${money(diff)})`,
        `учтено изменений после прошлого начисления: ${changes}`,
      );
    } else parts.push(`Начислено: ${what}`);
    // always: how many accounts were charged, how many skipped and why, and the total of each service
    if (split) {
      const skipped = accounts - split.charged;
      parts.push(
        skipped > 0
          ? `начислено по ${split.charged} л/с, без начислений ${skipped} л/с (нет подключенных услуг за месяц)`
          : `начислено по ${split.charged} л/с, пропущенных нет`,
      );
      if (split.byService) parts.push(`по услугам: ${split.byService}`);
    }
  }
  if (doc.AccruePenalties) parts.push(`пени рассчитаны по ${accounts} л/с`);
  return parts.join("; ");
}

export default defineDocument("GroupAccrual", {
  async post(ctx) {
    t0 = 0;
    phase("start");
    // Taken before any input is read: a change recorded from now on stays pending (accrual-changes.ts).
    const stamp = stampNow();
    const step = (n: number) => ctx.progress(n, STEPS.length, STEPS[n]);
    step(0);
    const month = monthStart(String(ctx.doc.Month));
    const { accounts, explicit } = await accountsOf(ctx, month);
    phase("accounts");
    step(1);
    // Two accruals of one month posted at once must not both pass the check: the second waits
    // here until the first commits, then sees it posted.
    await ctx.lock(`GroupAccrual ${month}`);
    await refuseDoubleAccrual(ctx, month, accounts);
    phase("double accrual check");
    step(2);
    const { own, pending } = await accrualChanges(ctx, ctx.doc.id);
    const totals: Totals = { lines: 0, kopecks: 0n, charged: new Set(), byService: new Map() };
    if (ctx.doc.AccrueServices) await accrueServices(ctx, month, accounts, explicit, () => step(3), totals);
    step(4);
    const ids = accounts.map((a) => a.id);
    if (ctx.doc.AccruePenalties) await accruePenalties(ctx, { month, accounts: ids });
    phase("penalties");
    step(5);
    const movesFrom = ctx.movements.Settlements.rows.length;
    await consumeAdvances(ctx, { month, accounts: ids, method: ctx.doc.DistributionMethod });
    phase("consumeAdvances");
    // 7. Bookkeeping (common/bookkeeping.ts): Дт 62.01 Кт 90.01 per building and service, benefits,
    // VAT, penalties Дт 76.02 Кт 91.01, advances consumed Дт 62.02 Кт 62.01 — by the accounting policy.
    await postAccrualEntries(ctx, {
      at: String(ctx.doc.date),
      accounts,
      accruals: ctx.movements.Accruals.rows,
      penalties: ctx.movements.Penalties.rows,
      moves: ctx.movements.Settlements.rows.slice(movesFrom),
      label: `за ${monthName(month)}`,
    });
    phase("entries");
    const amount = new Decimal(totals.kopecks.toString()).div(100);
    const byService = await serviceTotals(ctx, totals.byService);
    const split = { charged: totals.charged.size, byService };
    const summary = accrualSummary(ctx.doc, accounts.length, totals.lines, amount, own, pending.length, split);
    ctx.movements.AccrualChanges.add({
      Accrual: ctx.doc.id,
      Source: ACCRUAL_SOURCE,
      Building: null,
      Account: null,
      Stamp: stamp,
      ChangedAt: nowMoment(),
      Description: summary.length > 500 ? `${summary.slice(0, 499)}…` : summary,
      Amount: amount.toFixed(2),
      Lines: totals.lines,
      Accounts: accounts.length,
      Changes: pending.length,
    });
    ctx.progress(STEPS.length, STEPS.length, summary);
  },

  fill: {
    async Accounts(ctx) {
      if (!ctx.doc.Month) throw ctx.error("Сначала укажите текущий период", { field: "Month" });
      const month = monthStart(String(ctx.doc.Month));
      return (await openAccounts(ctx, month, ctx.doc.Building)).map((a) => ({ Account: a.id }));
    },
  },
});
