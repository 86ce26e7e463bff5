// Shared by the penalties and payments tests: a fresh database with the ЖКХ metadata, a small
// world (a building, accounts, services with receipt order, priority and PenaltiesApply, one
// tariff kind, tariffs and connections for the end-to-end accrual), debts written straight into
// Settlements under a recorder of their own (so the tests do not depend on the accrual's code),
// key rates, penalty settings, payments, and a minimal posting context for calling
// accruePenalties / consumeAdvances directly.
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { testPlatform, ROOT } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { queryApi, recordSets } from "../../server/documents/context.ts";
import type { PostingContext, QueryApi } from "../../server/api.ts";
import type { DocumentRegisters, Posting, Query } from "../../metadata/types.gen.ts";
import { writeRecordSet, writeRecords } from "../../server/registers/index.ts";
import { keyRateRecords } from "../../metadata/common/key-rates.ts";
import { inArea, rejects } from "../helpers/services.ts";
export { inArea, rejects };

export type Row = Record<string, any>;
export type Ctx = cat.Ctx;

export const openZhkh = (tag: string) => testPlatform(join(ROOT, "metadata"), tag);

export const item = async (p: Platform, name: string, body: Row): Promise<string> =>
  (await inArea(p, (ctx) => cat.createCatalogItem(ctx, name, body))).id;
export const doc = (p: Platform, name: string, body: Row, post = true) =>
  inArea(p, (ctx) => docs.createDocument(ctx, name, body, { post }));
export const repost = (p: Platform, name: string, id: string) => inArea(p, (ctx) => docs.postDocument(ctx, name, id));
export const movements = async (p: Platform, name: string, id: string, register: string): Promise<Row[]> =>
  (await inArea(p, (ctx) => docs.documentMovements(ctx, name, id)))[register]?.rows ?? [];
/**
 * Reads registers as handlers do (ctx.info / ctx.registers), numbers as Decimal: the platform's
 * read API, viewed through the configuration's generated types (their rows, typed).
 */
export const read = <T>(p: Platform, fn: (api: Query & QueryApi) => Promise<T>) =>
  inArea(p, (ctx) => fn(queryApi(ctx) as unknown as Query & QueryApi));

export interface World {
  p: Platform;
  building: string;
  kind: string;
  /** Services by short name: A (ReceiptOrder 1, Priority 3), B (2, 1), C (3, 2) with penalties; N (4, no priority) without. */
  services: Record<"A" | "B" | "C" | "N", string>;
  n: number;
}

/** Services charged by residents (rate × residents): A 100, B 200, C 300, N 50 per resident. */
export async function seedWorld(p: Platform): Promise<World> {
  const org = await item(p, "Organizations", { name: "ТСЖ Машенька" });
  const building = await item(p, "Buildings", {
    name: "ул. Балтийская, д.55",
    Address: "Петрозаводск, ул. Балтийская, д.55",
    TotalArea: "296.40",
    Organization: org,
  });
  const kind = await item(p, "TariffKinds", { name: "Основной" });
  const spec: [keyof World["services"], number, number | null, boolean, string][] = [
    ["A", 1, 3, true, "100.0000"],
    ["B", 2, 1, true, "200.0000"],
    ["C", 3, 2, true, "300.0000"],
    ["N", 4, null, false, "50.0000"],
  ];
  const services = {} as World["services"];
  for (const [name, order, priority, pen] of spec)
    services[name] = await item(p, "Services", {
      name: `Услуга ${name}`,
      CalculationMethod: "ByResidents",
      ReceiptOrder: order,
      Priority: priority,
      PenaltiesApply: pen,
    });
  await doc(p, "TariffChange", {
    date: "2011-01-01T00:00:00",
    Tariffs: spec.map(([n, , , , rate]) => ({ Service: services[n], TariffKind: kind, Rate: rate, RateOverNorm: "0" })),
  });
  return { p, building, kind, services, n: 0 };
}

/** An account (1 resident), connected from 2011-01-01 to the named services (none by default). */
export async function account(w: World, connect: (keyof World["services"])[] = []): Promise<string> {
  w.n++;
  const id = await item(w.p, "PersonalAccounts", {
    name: `Житель ${w.n}`,
    Building: w.building,
    Apartment: String(w.n).padStart(3, "0"),
    TotalArea: "50.00",
    LivingArea: "30.00",
    Residents: 1,
    Opened: "2011-01-01",
  });
  if (connect.length)
    await doc(w.p, "AccountServiceChange", {
      date: "2011-01-01T00:00:00",
      Account: id,
      Services: connect.map((s) => ({
        Account: id,
        Service: w.services[s],
        TariffKind: w.kind,
        ChangeDate: "2011-01-01",
        Status: "Connected",
      })),
    });
  return id;
}

/** Charges of a month as Settlements receipts (DebtPeriod = month, period = month start, or `at`), under a recorder of their own. */
export async function charge(
  p: Platform,
  month: string,
  rows: { account: string; service: string; amount: string }[],
  at = `${month}T00:00:00`,
): Promise<string> {
  const recorder = { id: randomUUID(), kind: "GroupAccrual" };
  await inArea(p, (ctx) =>
    writeRecordSet(
      ctx.c,
      ctx.conf,
      ctx.conf.accumulationRegisters.get("Settlements")!,
      recorder,
      rows.map((r) => ({
        period: at,
        recordKind: 1 as const,
        values: { Account: r.account, Service: r.service, DebtPeriod: month, Amount: r.amount },
      })),
    ),
  );
  return recorder.id;
}

export const loadKeyRates = (p: Platform) =>
  inArea(p, (ctx) => writeRecords(ctx.c, ctx.conf, ctx.conf.informationRegisters.get("KeyRates")!, keyRateRecords()));

/** A PenaltySettings document for `month` (posted). */
export const penaltySettings = (p: Platform, month: string, body: Row) =>
  doc(p, "PenaltySettings", { date: `${month}T00:00:00`, Month: month, ...body });

export const pay = (p: Platform, account: string, date: string, amount: string, body: Row = {}, post = true) =>
  doc(p, "Payment", { date, Account: account, Amount: amount, Services: [], ...body }, post);

/**
 * Runs `fn` with a posting context of a (never stored) document of `docName` — what the
 * platform hands a post handler: the query API, `doc`, and empty record sets. Returns the
 * record sets the code added, by register.
 */
export async function withPostingContext<N extends keyof DocumentRegisters>(
  p: Platform,
  docName: N,
  doc: Row,
  fn: (ctx: Posting<N>) => Promise<void>,
): Promise<Record<string, Row[]>> {
  return inArea(p, async (c) => {
    const { sets, movements } = recordSets(c.conf.documents.get(docName)!);
    const ctx: PostingContext = {
      ...queryApi(c),
      doc: { id: randomUUID(), number: "0", date: "2000-01-01T00:00:00", ...doc },
      movements,
      progress: () => {},
    };
    // the context the platform builds for every configuration, as the generated types describe this one's
    await fn(ctx as unknown as Posting<N>);
    return Object.fromEntries(sets);
  });
}

/** Settlements balance per key at `at` for one account: "serviceName|period" → amount text; empty keys as "-". */
export async function balances(p: Platform, w: World, acc: string, at?: string): Promise<Record<string, string>> {
  const names = Object.fromEntries(Object.entries(w.services).map(([k, v]) => [v, k]));
  const rows = await read(p, (api) => api.registers.Settlements.balance(at, { Account: acc }));
  return Object.fromEntries(
    rows.map((r) => [`${r.Service ? names[r.Service] : "-"}|${r.DebtPeriod}`, new Decimal(r.Amount).toFixed(2)]),
  );
}

export const penaltyBalance = async (p: Platform, acc: string, at?: string): Promise<string> => {
  const [r] = await read(p, (api) => api.registers.Penalties.balance(at, { Account: acc }));
  return r ? new Decimal(r.Amount).toFixed(2) : "0.00";
};

/** Decimal list → texts with 2 places. */
export const t2 = (xs: (Decimal | string)[]) => xs.map((x) => new Decimal(x).toFixed(2));
