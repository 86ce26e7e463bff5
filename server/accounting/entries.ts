/**
 * Entries of an accounting register and the movements they are stored as. A posting handler adds
 * entries (`ctx.movements.<Register>.add({ AccountDr, AccountCr, AnalyticsDr, AnalyticsCr,
 * Amount, Content })`); before the record set is written, toMovements checks each against the
 * chart and turns it into one movement per side of the register's storage (metadata/accounting.ts):
 * the debit a receipt, the credit an expense, each keyed by its account and analytics and naming
 * the other side's account (CorrAccount) and the entry's number (Entry). So every record set
 * balances by construction: Σ Дт = Σ Кт. An off-balance account takes a one-sided entry (only
 * AccountDr or only AccountCr). A refusal names the entry and what to fix; nothing is written.
 * readEntries turns a stored record set back into entries (Движения).
 */
import { Decimal } from "decimal.js";
import type { AccountingRegisterMeta, Configuration } from "../metadata/types.ts";
import { ANALYTICS_FIELDS } from "../metadata/accounting.ts";
import { UserError, invariant } from "../errors.ts";
import type { Client } from "../storage/db.ts";
import { readRecordSet } from "../registers/index.ts";
import { converter } from "../registers/shape.ts";
import { catalogPresentationSql } from "../storage/objects.ts";
import { catalogTable, q } from "../storage/naming.ts";
import { chartAccounts, type Account, type ChartAccounts } from "./accounts.ts";

type Row = Record<string, unknown>;

/** The keys of an entry as a handler gives it; anything else must be an attribute of the register. */
const ENTRY_KEYS = new Set([
  "period",
  "AccountDr",
  "AccountCr",
  "AnalyticsDr",
  "AnalyticsCr",
  "Amount",
  "Quantity",
  "QuantityDr",
  "QuantityCr",
  "Content",
]);

function chartOf(conf: Configuration, reg: AccountingRegisterMeta) {
  const chart = conf.chartsOfAccounts.get(reg.chart);
  invariant(chart, `chart ${reg.chart} of register ${reg.name} exists`);
  return chart;
}

/**
 * One side's analytics given by kind name ({ Counterparties: id }) as the storage's slots
 * Analytics1..3 (the database form: a reference's UUID, an enum value's name; "" when empty).
 */
function analyticsSlots(
  conf: Configuration,
  ch: ChartAccounts,
  account: Account,
  given: unknown,
  where: string,
  side: "Dr" | "Cr",
): Row {
  const out: Row = Object.fromEntries(ANALYTICS_FIELDS.map((f) => [f, ""]));
  if (given === undefined || given === null) return out;
  const field = `Analytics${side}`;
  if (typeof given !== "object" || Array.isArray(given))
    throw new UserError(
      `${where}: ${field} — объект «вид субконто: значение», например { ${account.analytics[0] ?? "Контрагенты"}: … }`,
      { field },
      "invalid_entry",
    );
  for (const [kind, value] of Object.entries(given as Row)) {
    if (value === null || value === undefined) continue; // an empty analytics value: nothing to check
    const slot = account.analytics.indexOf(kind);
    if (slot < 0)
      throw new UserError(
        `${where}: у счета ${account.code} нет субконто «${kind}» (${account.analytics.length ? `есть: ${account.analytics.join(", ")}` : "у него нет субконто"})`,
        { field },
        "invalid_entry",
      );
    const k = ch.chart.analytics.find((x) => x.name === kind);
    invariant(k, `analytics kind ${kind} of chart ${ch.chart.name}`);
    const v = converter(conf, k.type)(value, () => ({ label: `${where}, субконто ${k.synonym}`, target: { field } }));
    out[ANALYTICS_FIELDS[slot]] = v ?? "";
  }
  return out;
}

/**
 * The handler's entries as movements of the register's storage, each checked: the accounts exist
 * (by code or id), are not parents of sub-accounts, both sides are given unless the account is
 * off-balance, an off-balance account does not correspond with a balance one, analytics fit.
 */
export async function toMovements(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  entries: Row[],
): Promise<Row[]> {
  if (entries.length === 0) return [];
  const ch = await chartAccounts(c, chartOf(conf, reg));
  const attrs = new Set(reg.attributes.map((a) => a.name));
  const out: Row[] = [];
  entries.forEach((e, i) => {
    const n = i + 1;
    const where = `${reg.synonym}, проводка ${n}`;
    for (const k of Object.keys(e))
      if (!ENTRY_KEYS.has(k) && !attrs.has(k))
        throw new UserError(
          `${where}: у проводки нет поля «${k}» (есть: ${[...ENTRY_KEYS, ...attrs].join(", ")})`,
          { field: k },
          "invalid_entry",
        );
    const account = (side: "Dr" | "Cr"): Account | null => {
      const v = e[`Account${side}`];
      if (v === undefined || v === null || v === "") return null;
      const a = ch.byId.get(String(v).toLowerCase()) ?? ch.byCode.get(String(v).toLowerCase());
      if (!a)
        throw new UserError(
          `${where}: счета ${side === "Dr" ? "Дт" : "Кт"} «${String(v)}» нет в плане счетов «${ch.chart.synonym}»`,
          { field: `Account${side}` },
          "unknown_account",
        );
      if (a.hasChildren)
        throw new UserError(
          `${where}: у счета ${a.code} есть субсчета — укажите субсчет (${[...ch.byId.values()]
            .filter((x) => x.parent === a.id)
            .map((x) => x.code)
            .join(", ")})`,
          { field: `Account${side}` },
          "invalid_entry",
        );
      return a;
    };
    const dr = account("Dr");
    const cr = account("Cr");
    if (!dr && !cr) throw new UserError(`${where}: не указаны счета Дт и Кт`, { field: "AccountDr" }, "invalid_entry");
    for (const [a, missing] of [
      [dr, "Кт"],
      [cr, "Дт"],
    ] as const) {
      const other = a === dr ? cr : dr;
      if (a && !other && !a.offBalance)
        throw new UserError(
          `${where}: не указан счет ${missing}; без корреспондирующего счета проводку принимает только забалансовый счет, а ${a.code} — балансовый`,
          { field: `Account${missing === "Кт" ? "Cr" : "Dr"}` },
          "invalid_entry",
        );
    }
    if (dr && cr && dr.offBalance !== cr.offBalance) {
      const off = dr.offBalance ? dr : cr;
      throw new UserError(
        `${where}: забалансовый счет ${off.code} не корреспондирует с балансовыми — сделайте для него одностороннюю проводку`,
        { field: dr.offBalance ? "AccountCr" : "AccountDr" },
        "invalid_entry",
      );
    }
    const amount = e.Amount instanceof Decimal ? e.Amount.toString() : (e.Amount ?? "0");
    const common: Row = { Amount: amount, Entry: n, Content: e.Content ?? null };
    if (e.period !== undefined) common.period = e.period;
    for (const a of attrs) if (a in e) common[a] = e[a];
    const quantity = reg.resources.some((r) => r.name === "Quantity");
    // a side's quantity counts on a quantity account only (Количественный), as in 1C
    const qty = (side: "Dr" | "Cr") => {
      if (!(side === "Dr" ? dr : cr)?.quantity) return "0";
      const v = e[`Quantity${side}`] ?? e.Quantity ?? "0";
      return v instanceof Decimal ? v.toString() : v;
    };
    if (!quantity && (e.Quantity != null || e.QuantityDr != null || e.QuantityCr != null))
      throw new UserError(
        `${where}: регистр «${reg.synonym}» не ведет количество (в его описании нет quantity: true)`,
        { field: "Quantity" },
        "invalid_entry",
      );
    if (dr)
      out.push({
        ...common,
        kind: "receipt",
        Account: dr.id,
        CorrAccount: cr?.id ?? null,
        ...analyticsSlots(conf, ch, dr, e.AnalyticsDr, where, "Dr"),
        ...(quantity ? { Quantity: qty("Dr") } : {}),
      });
    if (cr)
      out.push({
        ...common,
        kind: "expense",
        Account: cr.id,
        CorrAccount: dr?.id ?? null,
        ...analyticsSlots(conf, ch, cr, e.AnalyticsCr, where, "Cr"),
        ...(quantity ? { Quantity: qty("Cr") } : {}),
      });
  });
  return out;
}

/** Presentation of one side's analytics: the slots by kind name (values as stored: UUIDs, enum names). */
export function analyticsOut(account: Account | undefined, row: Row): Row | null {
  if (!account) return null;
  const out: Row = {};
  account.analytics.forEach((kind, i) => {
    const v = row[ANALYTICS_FIELDS[i]];
    if (v !== null && v !== undefined && v !== "") out[kind] = v;
  });
  return Object.keys(out).length ? out : null;
}

/**
 * A document's entries as stored («Движения»): one row per entry — period, AccountDr / AccountCr
 * (codes; null on the empty side of a one-sided entry), AnalyticsDr / AnalyticsCr (by kind name),
 * Amount (and QuantityDr / QuantityCr), Content and the register's attributes.
 */
export async function readEntries(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  recorderId: string,
): Promise<Row[]> {
  const rows = await readRecordSet(c, reg.storage, recorderId);
  if (rows.length === 0) return [];
  const ch = await chartAccounts(c, chartOf(conf, reg));
  const entries = pairEntries(reg, ch, rows);
  await analyticsText(c, conf, ch, entries);
  return entries;
}

/**
 * Adds AnalyticsDrText / AnalyticsCrText to entries: each side's analytics as the interface shows
 * them («Болт, Склад 1»): catalog items by their presentation (one query per catalog), enum
 * values by their synonym.
 */
export async function analyticsText(c: Client, conf: Configuration, ch: ChartAccounts, entries: Row[]): Promise<void> {
  const kinds = new Map(ch.chart.analytics.map((k) => [k.name, k]));
  const wanted = new Map<string, Set<string>>();
  for (const e of entries)
    for (const side of ["AnalyticsDr", "AnalyticsCr"])
      for (const [kind, v] of Object.entries((e[side] as Row | null) ?? {})) {
        const t = kinds.get(kind)?.type;
        if (t?.kind === "ref" && t.target === "catalog") {
          if (!wanted.has(t.name)) wanted.set(t.name, new Set());
          wanted.get(t.name)!.add(String(v));
        }
      }
  const names = new Map<string, string>();
  for (const [catalog, ids] of wanted) {
    const m = conf.catalogs.get(catalog);
    if (!m) continue;
    const r = await c.query(
      `SELECT item.id, ${catalogPresentationSql(m, "item")} AS text FROM ${q(catalogTable(catalog))} item WHERE item.id = ANY($1::uuid[])`,
      [[...ids]],
    );
    for (const row of r.rows) names.set(row.id, row.text);
  }
  for (const e of entries)
    for (const side of ["Dr", "Cr"]) {
      const a = (e[`Analytics${side}`] as Row | null) ?? {};
      e[`Analytics${side}Text`] = Object.entries(a)
        .map(([kind, v]) => {
          const t = kinds.get(kind)?.type;
          if (t?.kind === "ref" && t.target === "enum")
            return conf.enums.get(t.name)?.values.find((x) => x.name === v)?.synonym ?? String(v);
          return names.get(String(v)) ?? String(v);
        })
        .join(", ");
    }
}

/** Movements (readRecordSet's or listMovements' rows, both sides of each entry) paired back into entries. */
export function pairEntries(reg: AccountingRegisterMeta, ch: ChartAccounts, rows: Row[], recorderKey?: string): Row[] {
  const byEntry = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${recorderKey ? String(r[recorderKey]) : ""}#${String(r.Entry)}`;
    byEntry.set(key, [...(byEntry.get(key) ?? []), r]);
  }
  const quantity = reg.resources.some((r) => r.name === "Quantity");
  const out: Row[] = [];
  for (const sides of byEntry.values()) {
    const dr = sides.find((r) => r.recordKind === "receipt");
    const cr = sides.find((r) => r.recordKind === "expense");
    // what both sides share (the period, recorder, amount, content): from the side there is
    const shared = (dr ?? cr)!;
    const accDr = dr ? ch.byId.get(String(dr.Account)) : undefined;
    const accCr = cr ? ch.byId.get(String(cr.Account)) : undefined;
    const e: Row = {
      period: shared.period,
      ...(recorderKey ? { [recorderKey]: shared[recorderKey] } : {}),
      AccountDr: accDr?.code ?? null,
      AnalyticsDr: dr ? analyticsOut(accDr, dr) : null,
      AccountCr: accCr?.code ?? null,
      AnalyticsCr: cr ? analyticsOut(accCr, cr) : null,
      Amount: shared.Amount,
      ...(quantity ? { QuantityDr: dr?.Quantity ?? null, QuantityCr: cr?.Quantity ?? null } : {}),
      Content: shared.Content ?? null,
    };
    for (const a of reg.attributes) e[a.name] = shared[a.name] ?? null;
    out.push(e);
  }
  return out;
}
