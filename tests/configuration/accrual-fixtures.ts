/**
 * Fixtures of the accrual tests: a real database with the metadata/ configuration and the
 * data entered through the catalogs and the real documents (TariffChange, AccountServiceChange,
 * InitialMeterReadings, GroupAccrual), as a user would. `seedWorld` builds the DOMAIN.md §4
 * account: 59.0 m², 3 residents, the seed's six services and tariffs.
 */
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { inArea, rejects } from "../helpers/services.ts";
export { inArea, rejects };

export type Ctx = cat.Ctx;
export type Row = Record<string, any>;

export async function accrualPlatform(tag = "acc"): Promise<Platform> {
  return testPlatform(join(ROOT, "metadata"), tag);
}

/** Creates a catalog item, returns its id. */
export const item = async (p: Platform, name: string, body: Row): Promise<string> =>
  (await inArea(p, (ctx) => cat.createCatalogItem(ctx, name, body))).id;

export interface ServiceSpec {
  name: string;
  unit: string;
  method: string;
  kind: string;
  rate: string;
  over: string;
  normative?: string | null;
  factor?: string | null;
  sources?: string[];
}

/** The seed's services (DOMAIN.md §4 / presentation): name, unit, method, tariff kind, rate, rate over norm, normative. */
export const SEED_SERVICES: ServiceSpec[] = [
  { name: "Тех. обслуживание", unit: "м2", method: "ByTotalArea", kind: "Основной", rate: "2.5000", over: "5.0000" },
  {
    name: "ХВС",
    unit: "м3",
    method: "ByMeter",
    kind: "Основной",
    rate: "20.0000",
    over: "0.0000",
    normative: "6.9350",
    factor: "1.50",
  },
  {
    name: "ГВС",
    unit: "м3",
    method: "ByMeter",
    kind: "ГВС",
    rate: "30.0000",
    over: "0.0000",
    normative: "4.7450",
    factor: "1.50",
  },
  { name: "Вывоз мусора", unit: "чел", method: "ByResidents", kind: "Основной", rate: "250.0000", over: "0.0000" },
  {
    name: "Водоотведение",
    unit: "м3",
    method: "DerivedVolume",
    kind: "Основной",
    rate: "40.0000",
    over: "0.0000",
    sources: ["ХВС", "ГВС"],
  },
  { name: "Отопление", unit: "м2", method: "ByTotalArea", kind: "Основной", rate: "150.0000", over: "0.0000" },
];

/** One of the seed's services, by name. */
export const seedService = (name: string): ServiceSpec => SEED_SERVICES.find((x) => x.name === name)!;

/** Upkeep by total area at 10,00 a m² (not a seed service): the rule tests' area-based charge. */
export const UPKEEP_BY_AREA: ServiceSpec = {
  name: "Содержание",
  unit: "м2",
  method: "ByTotalArea",
  kind: "Основной",
  rate: "10.0000",
  over: "0.0000",
};

export interface World {
  p: Platform;
  org: string;
  building: string;
  kinds: Record<string, string>;
  services: Record<string, string>;
  coldType: string;
  hotType: string;
  /** Account code counter for names. */
  n: number;
}

/** Kinds, services (with tariffs from `tariffDate`), a building, meter types. */
export async function seedWorld(
  p: Platform,
  specs: ServiceSpec[] = SEED_SERVICES,
  tariffDate = "2011-01-01T00:00:00",
): Promise<World> {
  const org = await item(p, "Organizations", { name: "ТСЖ Машенька" });
  const building = await item(p, "Buildings", {
    name: "ул. Балтийская, д.55",
    Address: "Петрозаводск, ул. Балтийская, д.55",
    TotalArea: "296.40",
    Organization: org,
  });
  const kinds: Record<string, string> = {};
  for (const k of new Set(specs.map((s) => s.kind))) kinds[k] = await item(p, "TariffKinds", { name: k });
  const services: Record<string, string> = {};
  let order = 1;
  for (const s of specs) {
    services[s.name] = await item(p, "Services", {
      name: s.name,
      Unit: s.unit,
      CalculationMethod: s.method,
      Normative: s.normative ?? null,
      RaisingFactor: s.factor ?? null,
      ReceiptOrder: order++,
      SourceServices: (s.sources ?? []).map((x) => ({ Service: services[x] })),
    });
  }
  await setTariffs(
    p,
    tariffDate,
    specs.map((s) => ({ service: services[s.name], kind: kinds[s.kind], rate: s.rate, over: s.over })),
  );
  const coldType = await item(p, "MeterTypes", {
    name: "ХВС",
    Unit: "м3",
    ReadingType: "Cumulative",
    DigitCapacity: "5",
  });
  const hotType = await item(p, "MeterTypes", { name: "ГВС", Unit: "м3", ReadingType: "Cyclic", DigitCapacity: "0" });
  return { p, org, building, kinds, services, coldType, hotType, n: 0 };
}

export async function setTariffs(
  p: Platform,
  date: string,
  rows: { service: string; kind: string; rate: string; over?: string }[],
): Promise<void> {
  await inArea(p, (ctx) =>
    docs.createDocument(
      ctx,
      "TariffChange",
      {
        date,
        Tariffs: rows.map((r) => ({
          Service: r.service,
          TariffKind: r.kind,
          Rate: r.rate,
          RateOverNorm: r.over ?? "0",
        })),
      },
      { post: true },
    ),
  );
}

/** An account connected (from `from`) to the given services with their spec's tariff kinds. */
export async function account(
  w: World,
  body: Row = {},
  services: string[] = SEED_SERVICES.map((s) => s.name),
  specs: ServiceSpec[] = SEED_SERVICES,
  from = "2011-01-01",
): Promise<string> {
  w.n++;
  const id = await item(w.p, "PersonalAccounts", {
    name: `Житель ${w.n}`,
    Building: w.building,
    Apartment: String(w.n).padStart(3, "0"),
    TotalArea: "59.00",
    LivingArea: "0.00",
    Residents: "3",
    Opened: "2011-01-01",
    ...body,
  });
  if (services.length)
    await inArea(w.p, (ctx) =>
      docs.createDocument(
        ctx,
        "AccountServiceChange",
        {
          date: `${from}T00:00:00`,
          Account: id,
          Services: services.map((s) => ({
            Account: id,
            Service: w.services[s],
            TariffKind: w.kinds[specs.find((x) => x.name === s)!.kind],
            ChangeDate: from,
            Status: "Connected",
          })),
        },
        { post: true },
      ),
    );
  return id;
}

export async function meter(w: World, account: string, service: string, type: string, name?: string): Promise<string> {
  return item(w.p, "Meters", {
    name: name ?? `${service} ${account.slice(0, 8)}`,
    MeterType: type,
    Service: w.services[service],
    Kind: "Individual",
    Account: account,
  });
}

/** Readings through the document «Ввод начальных показаний» (it records any date as is). */
export async function readings(
  w: World,
  rows: { account?: string; building?: string; meter: string; date: string; value: string }[],
): Promise<void> {
  await inArea(w.p, (ctx) =>
    docs.createDocument(
      ctx,
      "InitialMeterReadings",
      {
        date: `${rows[0].date}T00:00:00`,
        Individual: rows
          .filter((r) => r.account)
          .map((r) => ({ Account: r.account, Meter: r.meter, Reading: r.value, ReadingDate: r.date })),
        Collective: rows
          .filter((r) => r.building)
          .map((r) => ({ Building: r.building, Meter: r.meter, Reading: r.value, ReadingDate: r.date })),
      },
      { post: true },
    ),
  );
}

/** Posts a GroupAccrual for `month` over `accounts` (empty: all open accounts). */
export async function accrue(p: Platform, month: string, accounts: string[], extra: Row = {}): Promise<Row> {
  return inArea(p, (ctx) =>
    docs.createDocument(
      ctx,
      "GroupAccrual",
      {
        date: `${month.slice(0, 8)}28T12:00:00`,
        Month: month,
        AccrueServices: true,
        AccruePenalties: false,
        Accounts: accounts.map((a) => ({ Account: a })),
        ...extra,
      },
      { post: true },
    ),
  );
}

/** The document's movements by register, as GET …/movements returns them. */
export const movements = (p: Platform, id: string) =>
  inArea(p, (ctx) => docs.documentMovements(ctx, "GroupAccrual", id));

/** Accruals rows of a document by service name. */
export async function linesByService(w: World, docId: string, accountId?: string): Promise<Record<string, Row>> {
  const mv = await movements(w.p, docId);
  const names = Object.fromEntries(Object.entries(w.services).map(([k, v]) => [v, k]));
  const out: Record<string, Row> = {};
  for (const r of mv.Accruals.rows) if (!accountId || r.Account === accountId) out[names[r.Service]] = r;
  return out;
}

export const total = (rows: Row[], key = "Amount") =>
  rows.reduce((s, r) => s.plus(r[key] ?? 0), new Decimal(0)).toFixed(2);

/** The seed receipt's accrual for account 00000000001, November 2011, by service (DOMAIN.md §7): 13 752,73. */
export const SEED_LINES: Record<string, string> = {
  "Тех. обслуживание": "147.50",
  ХВС: "868.41",
  ГВС: "600.00",
  "Вывоз мусора": "750.00",
  Водоотведение: "2536.82",
  Отопление: "8850.00",
};
