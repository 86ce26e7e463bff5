// Shared by the configuration's catalog and document tests: a fresh database with the ЖКХ
// metadata, seed-like catalogs (the seed's building, five accounts, two tariff kinds, six
// services, meter types and meters), and short ways to write, post, fill and read back.
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { testPlatform, ROOT } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { queryApi } from "../../server/documents/context.ts";
import type { QueryApi } from "../../server/api.ts";
import type { Query } from "../../metadata/types.gen.ts";
import { writeRecordSet } from "../../server/registers/index.ts";
import { randomUUID } from "node:crypto";
import { inArea, rejects } from "../helpers/services.ts";
export { inArea, rejects };

export type Row = Record<string, any>;
export type Ctx = cat.Ctx;

export const openZhkh = (tag = "zhkh") => testPlatform(join(ROOT, "metadata"), tag);

export const item = (p: Platform, name: string, body: Row) =>
  inArea(p, (ctx) => cat.createCatalogItem(ctx, name, body));
export const updateItem = (p: Platform, name: string, id: string, body: Row) =>
  inArea(p, (ctx) => cat.updateCatalogItem(ctx, name, id, body));
export const getItem = (p: Platform, name: string, id: string) => inArea(p, (ctx) => cat.getCatalogItem(ctx, name, id));
/** Writes a document and posts it (post: false keeps a draft). */
export const doc = (p: Platform, name: string, body: Row, post = true) =>
  inArea(p, (ctx) => docs.createDocument(ctx, name, body, { post }));
export const post = (p: Platform, name: string, id: string) => inArea(p, (ctx) => docs.postDocument(ctx, name, id));
export const getDoc = (p: Platform, name: string, id: string) => inArea(p, (ctx) => docs.getDocument(ctx, name, id));
export const fill = (p: Platform, name: string, table: string, body: Row, id: string | null = null) =>
  inArea(p, (ctx) => docs.fillTable(ctx, name, id, table, body));
/** «Движения»: the document's records, per register. */
export const movements = async (p: Platform, name: string, id: string, register: string): Promise<Row[]> =>
  (await inArea(p, (ctx) => docs.documentMovements(ctx, name, id)))[register].rows;
/**
 * Reads registers as handlers do (ctx.info / ctx.registers), numbers as Decimal: the platform's
 * read API, viewed through the configuration's generated types (their rows, typed).
 */
export const read = <T>(p: Platform, fn: (api: Query & QueryApi) => Promise<T>) =>
  inArea(p, (ctx) => fn(queryApi(ctx) as unknown as Query & QueryApi));

export interface Seed {
  building: string;
  building2: string;
  /** The seed's accounts 00000000001…00000000005 in code order. */
  accounts: string[];
  kinds: { main: string; hot: string };
  /** By the seed's names: Тех. обслуживание, ХВС, ГВС, Вывоз мусора, Водоотведение, Отопление. */
  services: Record<string, string>;
  types: { cold: string; hotSeed: string; cyclic4: string };
  /** Meters: account 4's ХВС (cumulative) and ГВС (cyclic, capacity 0), account 1's ХВС,
   * account 2's cyclic meter of capacity 4, the building's house meter, building 2's house meter. */
  meters: { cold4: string; hot4: string; cold1: string; cyclic2: string; house: string; house2: string };
}

export const SEED_SERVICES = [
  ["Тех. обслуживание", "ByTotalArea", "main"],
  ["ХВС", "ByMeter", "main"],
  ["ГВС", "ByMeter", "hot"],
  ["Вывоз мусора", "ByResidents", "main"],
  ["Отопление", "ByTotalArea", "main"],
  ["Водоотведение", "DerivedVolume", "main"],
] as const;

export const SEED_RATES: Record<string, [string, string]> = {
  "Тех. обслуживание": ["2.5000", "5.0000"],
  ХВС: ["20.0000", "0.0000"],
  ГВС: ["30.0000", "0.0000"],
  "Вывоз мусора": ["250.0000", "0.0000"],
  Водоотведение: ["40.0000", "0.0000"],
  Отопление: ["150.0000", "0.0000"],
};

/** The catalogs every configuration test starts from. */
export async function seedCatalogs(p: Platform): Promise<Seed> {
  const org = (await item(p, "Organizations", { name: "ТСЖ Машенька", Inn: "111111111" })).id;
  const building = (
    await item(p, "Buildings", {
      name: "ул. Балтийская, д.55",
      Address: "Петрозаводск, ул. Балтийская, д.55",
      TotalArea: "296.40",
      Organization: org,
    })
  ).id;
  const building2 = (
    await item(p, "Buildings", {
      name: "ул. Ленина, д.1",
      Address: "Петрозаводск, ул. Ленина, д.1",
      TotalArea: "500.00",
      Organization: org,
    })
  ).id;
  const accounts: string[] = [];
  const people = [
    "Калинин Вячеслав Петрович",
    "Ржига Игорь Сергеевич",
    "Симак Галина Владимировна",
    "Иванова Лидия Константиновна",
    "Морозова Анастасия Петровна",
  ];
  for (const [i, name] of people.entries())
    accounts.push(
      (
        await item(p, "PersonalAccounts", {
          name,
          Building: building,
          Apartment: `00${i + 1}`,
          TotalArea: "59.00",
          LivingArea: "0.00",
          Residents: 3,
          Beneficiaries: 0,
        })
      ).id,
    );
  const kinds = {
    main: (await item(p, "TariffKinds", { name: "Основной" })).id,
    hot: (await item(p, "TariffKinds", { name: "ГВС" })).id,
  };
  const services: Record<string, string> = {};
  for (const [name, method] of SEED_SERVICES)
    services[name] = (
      await item(p, "Services", {
        name,
        CalculationMethod: method,
        SourceServices: method === "DerivedVolume" ? [{ Service: services["ХВС"] }, { Service: services["ГВС"] }] : [],
      })
    ).id;
  const types = {
    cold: (await item(p, "MeterTypes", { name: "ХВС", Unit: "м3", ReadingType: "Cumulative", DigitCapacity: 5 })).id,
    hotSeed: (await item(p, "MeterTypes", { name: "ГВС", Unit: "м3", ReadingType: "Cyclic", DigitCapacity: 0 })).id,
    cyclic4: (
      await item(p, "MeterTypes", { name: "ГВС четырехразрядный", Unit: "м3", ReadingType: "Cyclic", DigitCapacity: 4 })
    ).id,
  };
  const meter = async (name: string, type: string, service: string, owner: Row) =>
    (await item(p, "Meters", { name, MeterType: type, Service: services[service], ...owner })).id;
  const meters = {
    cold4: await meter("ХВС кв.004", types.cold, "ХВС", { Kind: "Individual", Account: accounts[3] }),
    hot4: await meter("ГВС кв.004", types.hotSeed, "ГВС", { Kind: "Individual", Account: accounts[3] }),
    cold1: await meter("ХВС кв.001", types.cold, "ХВС", { Kind: "Individual", Account: accounts[0] }),
    cyclic2: await meter("ГВС кв.002", types.cyclic4, "ГВС", { Kind: "Individual", Account: accounts[1] }),
    house: await meter("Теплосчетчик д.55", types.cold, "Отопление", { Kind: "Collective", Building: building }),
    house2: await meter("Теплосчетчик д.1", types.cold, "Отопление", { Kind: "Collective", Building: building2 }),
  };
  return { building, building2, accounts, kinds, services, types, meters };
}

/** Decimal or text → text with `dp` places, for comparing register values. */
export const txt = (v: unknown, dp = 4) => (v == null ? null : new Decimal(String(v)).toFixed(dp));

/**
 * Accruals of a month as the group accrual would leave them (Amount per account and service),
 * written straight into the Accruals and Settlements registers under a recorder of their own:
 * what Recalculation reads, without depending on the accrual's own code.
 */
export async function accrue(
  p: Platform,
  month: string,
  rows: { Account: string; Service: string; Amount: string }[],
): Promise<string> {
  const recorder = { id: randomUUID(), kind: "GroupAccrual" };
  const period = `${month}T00:00:00`;
  await inArea(p, async (ctx) => {
    await writeRecordSet(
      ctx.c,
      ctx.conf,
      ctx.conf.accumulationRegisters.get("Accruals")!,
      recorder,
      rows.map((r) => ({
        period,
        recordKind: 1 as const,
        values: {
          Account: r.Account,
          Service: r.Service,
          Volume: "0",
          Amount: r.Amount,
          Benefits: "0",
          Recalculation: "0",
        },
      })),
    );
    await writeRecordSet(
      ctx.c,
      ctx.conf,
      ctx.conf.accumulationRegisters.get("Settlements")!,
      recorder,
      rows.map((r) => ({
        period,
        recordKind: 1 as const,
        values: { Account: r.Account, Service: r.Service, DebtPeriod: month, Amount: r.Amount },
      })),
    );
  });
  return recorder.id;
}
