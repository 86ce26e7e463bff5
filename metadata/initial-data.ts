/**
 * The demo: ТСЖ «Машенька», the building at Петрозаводск, ул. Балтийская, д.55, and the
 * seed's five personal accounts, services, tariffs, meters, penalty settings, opening balances,
 * the November 2011 accrual and a payment — so that account 00000000001 gives exactly the
 * seed's receipt (DOMAIN.md §4): accrued 13 752,73; debt on 01.11.11 2 045,64; paid 1 994,77
 * on 24.11.11; to pay 13 803,60; penalties 192,64; with penalties 13 996,24.
 * A second building, ул. Балтийская, д.57 (DEMO.commonProperty), shows the common property
 * (СОИ) methods: three accounts opened on 01.12.2011 with cold water meters, a house (collective)
 * cold water meter, «ХВС на СОИ» by the house meter and «Электроэнергия на СОИ» by the normative,
 * accrued for December 2011 — November 2011 (the seed's month: 57 553,73 accrued over the five
 * accounts, 1 994,77 paid) is untouched.
 * Loaded on the first start of an empty data area and by `npm run demo:reset`. Everything goes
 * through the documents and their posting, as a user would enter it.
 */
import type { InitialDataContext, Row } from "../server/api.ts";
import { keyRateRecords, rateCapRecords } from "./common/key-rates.ts";
import { moratoriumRecords } from "./common/penalties.ts";
import { productionCalendarRecords } from "./common/production-calendar.ts";
import { loadServiceRequests } from "./demo-requests.ts";

export const DEMO = {
  organization: {
    name: "ТСЖ Машенька",
    Inn: "111111111",
    BankAccount: "1111111111222222222",
    BankName: "Мой банк",
    Address: "Петрозаводск, ул. Балтийская, д.55",
    // the seed's «Пропорционально задолженности» (over all periods), kept as this organization's choice
    DistributionMethod: "ProportionalToDebt",
  },
  building: {
    name: "Петрозаводск, ул. Балтийская, д.55",
    Address: "Петрозаводск, ул. Балтийская, д.55",
    TotalArea: "296.40",
  },
  accounts: [
    {
      name: "Калинин Вячеслав Петрович",
      Apartment: "001",
      TotalArea: "59.00",
      LivingArea: "0.00",
      Residents: 3,
      Beneficiaries: 0,
    },
    {
      name: "Ржига Игорь Сергеевич",
      Apartment: "002",
      TotalArea: "45.30",
      LivingArea: "30.10",
      Residents: 2,
      Beneficiaries: 0,
      OwnershipType: "Private",
    },
    {
      name: "Симак Галина Владимировна",
      Apartment: "003",
      TotalArea: "72.60",
      LivingArea: "48.20",
      Residents: 4,
      Beneficiaries: 1,
      OwnershipType: "Private",
    },
    {
      name: "Иванова Лидия Константиновна",
      Apartment: "004",
      TotalArea: "61.20",
      LivingArea: "40.00",
      Residents: 2,
      Beneficiaries: 0,
      OwnershipType: "Municipal",
    },
    {
      name: "Морозова Анастасия Петровна",
      Apartment: "005",
      TotalArea: "58.30",
      LivingArea: "38.90",
      Residents: 1,
      Beneficiaries: 0,
      OwnershipType: "Private",
    },
  ],
  tariffKinds: ["Основной", "ГВС"],
  // name, unit, method, tariff kind, rate, rate over norm, normative per person
  services: [
    ["Тех. обслуживание", "м2", "ByTotalArea", "Основной", "2.5000", "5.0000", null],
    ["ХВС", "м3", "ByMeter", "Основной", "20.0000", "0.0000", "6.9350"],
    ["ГВС", "м3", "ByMeter", "ГВС", "30.0000", "0.0000", "4.7450"],
    ["Вывоз мусора", "чел", "ByResidents", "Основной", "250.0000", "0.0000", null],
    ["Водоотведение", "м3", "DerivedVolume", "Основной", "40.0000", "0.0000", null],
    ["Отопление", "м2", "ByTotalArea", "Основной", "150.0000", "0.0000", null],
  ] as const,
  /** Opening debt of account 00000000001 by service and month: 2 045,64 in all. */
  openingDebt: [
    ["Тех. обслуживание", "2011-09-01", "147.50"],
    ["Отопление", "2011-09-01", "850.00"],
    ["ХВС", "2011-10-01", "460.00"],
    ["ГВС", "2011-10-01", "300.00"],
    ["Водоотведение", "2011-10-01", "288.14"],
  ] as const,
  openingPenalty: "192.64",
  payment: { date: "2011-11-24T12:00:00", amount: "1994.77" },
  /**
   * Common property (СОИ, docs/common-property.md), December 2011: 150 m² of premises (the three
   * flats), 30 m² of common property. Cold water: the flats' meters 15 + 12,5 + 10 = 37,5 m³, the
   * house meter 40 m³ — a difference of 2,5 m³, above the house's normative 0,03 × 30 = 0,9 m³:
   * each flat pays its share of the normative (60 m²: 0,03 × 30 × 60 / 150 = 0,36 m³ × 20,00 =
   * 7,20) and the 1,6 m³ above it stay with the company («Сверхнормативный расход на СОИ»).
   * Electricity by the normative 0,5 kWh per m² of common area: 60 m² → 0,5 × 30 × 60 / 150 = 6 kWh
   * × 5,00 = 30,00. Account 00000000006 (60 m²): 150,00 + 300,00 + 7,20 + 30,00 = 487,20.
   */
  commonProperty: {
    building: {
      name: "Петрозаводск, ул. Балтийская, д.57",
      Address: "Петрозаводск, ул. Балтийская, д.57",
      TotalArea: "150.00",
      PremisesArea: "150.00",
      CommonArea: "30.00",
    },
    accounts: [
      { name: "Попова Марина Андреевна", Apartment: "001", TotalArea: "60.00", LivingArea: "40.00", Residents: 2 },
      { name: "Лебедев Олег Игоревич", Apartment: "002", TotalArea: "50.00", LivingArea: "32.00", Residents: 2 },
      { name: "Кузнецова Ирина Павловна", Apartment: "003", TotalArea: "40.00", LivingArea: "26.00", Residents: 1 },
    ],
    // name, unit, method, СОИ normative per m² of common area, tariff (kind «Основной»), source service
    services: [
      ["ХВС на СОИ", "м3", "CommonPropertyByHouseMeter", "0.0300", "20.0000", "ХВС"],
      ["Электроэнергия на СОИ", "кВт·ч", "CommonPropertyByNormative", "0.5000", "5.0000", null],
    ] as const,
    connected: ["Тех. обслуживание", "ХВС", "ХВС на СОИ", "Электроэнергия на СОИ"],
    /** The flats' cold water meters on 30.11.2011 and 20.12.2011. */
    readings: [
      ["10.0000", "25.0000"],
      ["20.0000", "32.5000"],
      ["30.0000", "40.0000"],
    ],
    house: ["1000.0000", "1040.0000"],
  },
  /** One user per role (login, name, role); the administrator `admin` is made on the first start. */
  users: [
    ["accountant", "Бухгалтер Петрова А. С.", "Accountant"],
    ["cashier", "Кассир Смирнова Е. В.", "Cashier"],
    ["meters", "Оператор Козлов Д. И.", "MeterOperator"],
    ["auditor", "Аудитор Орлов П. Н.", "Auditor"],
    ["dispatcher", "Диспетчер Васильева Н. А.", "Dispatcher"],
  ] as const,
};

export default async function load(ctx: InitialDataContext): Promise<void> {
  const org = await ctx.create("catalog", "Organizations", DEMO.organization);
  const building = await ctx.create("catalog", "Buildings", { ...DEMO.building, Organization: org.id });
  const accounts: Row[] = [];
  for (const a of DEMO.accounts)
    accounts.push(
      await ctx.create("catalog", "PersonalAccounts", { ...a, Building: building.id, Opened: "2011-01-01" }),
    );
  // Persons over time (register Residents, docs/residents.md): as the cards say, from the opening day.
  await ctx.writeRecords(
    "Residents",
    DEMO.accounts.map((a, i) => ({
      period: "2011-01-01",
      Account: accounts[i].id,
      Registered: a.Residents,
      Owners: a.OwnershipType === "Private" ? 1 : 0,
    })),
  );
  // (ctx.create answers a bare row; a created object's id is its UUID string)
  const kinds: Record<string, string> = {};
  for (const k of DEMO.tariffKinds) kinds[k] = (await ctx.create("catalog", "TariffKinds", { name: k })).id as string;
  const services: Record<string, string> = {};
  let order = 1;
  for (const [name, unit, method, , , , normative] of DEMO.services) {
    const sources = method === "DerivedVolume" ? [{ Service: services["ХВС"] }, { Service: services["ГВС"] }] : [];
    services[name] = (
      await ctx.create("catalog", "Services", {
        name,
        Unit: unit,
        CalculationMethod: method,
        Normative: normative,
        RaisingFactor: method === "ByMeter" ? "1.50" : null,
        ReceiptOrder: order,
        Priority: order++,
        PenaltiesApply: true,
        SourceServices: sources,
      })
    ).id as string;
  }

  await ctx.create(
    "document",
    "TariffChange",
    {
      date: "2011-11-01T10:16:27",
      Tariffs: DEMO.services.map(([name, , , kind, rate, over]) => ({
        Service: services[name],
        TariffKind: kinds[kind],
        Rate: rate,
        RateOverNorm: over,
      })),
    },
    { post: true },
  );
  for (const [i, acc] of accounts.entries()) {
    await ctx.create(
      "document",
      "AccountServiceChange",
      {
        date: `2011-11-01T10:35:${String(37 + i).padStart(2, "0")}`,
        Account: acc.id,
        Services: DEMO.services.map(([name, , , kind]) => ({
          Account: acc.id,
          Service: services[name],
          TariffKind: kinds[kind],
          ChangeDate: "2011-11-01",
          Status: "Connected",
        })),
      },
      { post: true },
    );
  }

  // Meters: cold and hot water for every account; the seed's types (ГВС: cyclic, capacity 0).
  const coldType = await ctx.create("catalog", "MeterTypes", {
    name: "ХВС",
    Unit: "м3",
    ReadingType: "Cumulative",
    DigitCapacity: 5,
  });
  const hotType = await ctx.create("catalog", "MeterTypes", {
    name: "ГВС",
    Unit: "м3",
    ReadingType: "Cyclic",
    DigitCapacity: 0,
  });
  const meters: { account: Row; cold: Row; hot: Row }[] = [];
  for (const acc of accounts) {
    const mk = (type: Row, service: string, serial: string) =>
      ctx.create("catalog", "Meters", {
        name: `${service} кв.${acc.Apartment}`,
        MeterType: type.id,
        Service: services[service],
        Kind: "Individual",
        Account: acc.id,
        SerialNumber: serial,
        Installed: "2010-01-15",
        NextVerification: "2016-01-15",
      });
    meters.push({
      account: acc,
      cold: await mk(coldType, "ХВС", `X-${acc.Apartment}`),
      hot: await mk(hotType, "ГВС", `G-${acc.Apartment}`),
    });
  }
  // Initial readings: the seed's for 00000000004 (01.11.2011), the others at the end of October.
  const initial = [
    ["100.0000", "50.0000", "2011-10-31"],
    ["210.0000", "95.0000", "2011-10-31"],
    ["305.5000", "120.0000", "2011-10-31"],
    ["5510.0000", "12.0000", "2011-11-01"],
    ["77.0000", "31.0000", "2011-10-31"],
  ];
  await ctx.create(
    "document",
    "InitialMeterReadings",
    {
      date: "2011-11-01T12:27:38",
      Individual: meters.flatMap((m, i) => [
        { Account: m.account.id, Meter: m.cold.id, Reading: initial[i][0], ReadingDate: initial[i][2] },
        { Account: m.account.id, Meter: m.hot.id, Reading: initial[i][1], ReadingDate: initial[i][2] },
      ]),
    },
    { post: true },
  );
  // November readings (by the 25th): 00000000001 used 43.4205 m³ of cold and 20 m³ of hot water.
  const november = [
    ["143.4205", "70.0000"],
    ["221.5000", "101.2000"],
    ["327.1000", "133.4000"],
    null, // 00000000004 gave no reading in November
    ["82.3000", "33.5000"],
  ];
  await ctx.create(
    "document",
    "MeterReadings",
    {
      date: "2011-11-25T18:00:00",
      Month: "2011-11-01",
      Building: building.id,
      Readings: meters.flatMap((m, i) =>
        november[i] === null
          ? []
          : [
              {
                Account: m.account.id,
                Meter: m.cold.id,
                PreviousReading: initial[i][0],
                Reading: november[i]![0],
                ReadingDate: "2011-11-25",
              },
              {
                Account: m.account.id,
                Meter: m.hot.id,
                PreviousReading: initial[i][1],
                Reading: november[i]![1],
                ReadingDate: "2011-11-25",
              },
            ],
      ),
    },
    { post: true },
  );

  await ctx.writeRecords("KeyRates", keyRateRecords());
  // the cap on the key rate (ПП №474) and the moratoria (ПП №424, №497): data the administrator edits
  await ctx.writeRecords("PenaltyRateCaps", rateCapRecords());
  await ctx.writeRecords("Moratoria", moratoriumRecords());
  // the production calendar 2024–2027 (ТК РФ ст.112, the transfers; common/production-calendar.ts)
  await ctx.writeRecords("Holidays", productionCalendarRecords());
  // The accounting policy (docs/bookkeeping.md): the 94н accounts for every organization and service,
  // a record the administrator edits (a record of one service or organization overrides it)
  await ctx.writeRecords("AccountingPolicy", [
    {
      period: "2011-01-01",
      Organization: null,
      Service: null,
      ReceivableAccount: "62.01",
      AdvanceAccount: "62.02",
      RevenueAccount: "90.01",
      VatAccount: "90.03",
      VatPayableAccount: "68.02",
      PenaltyAccount: "76.02",
      PenaltyIncomeAccount: "91.01",
      BenefitAccount: "76.09",
      BankAccount: "51",
      CashAccount: "50.01",
      AgentAccount: "57.01",
      OpeningAccount: "000",
    },
  ]);
  await ctx.create(
    "document",
    "PenaltySettings",
    {
      date: "2012-01-01T00:00:00",
      Month: "2012-01-01",
      ChangeDueDay: true,
      DueDay: 10,
      ChangeRate: true,
      Mode: "FixedDailyRate",
      Rate: "0.0344",
      RateDate: "2012-01-01",
    },
    { post: true },
  );

  const first = accounts[0];
  await ctx.create(
    "document",
    "OpeningBalances",
    {
      date: "2011-10-31T23:00:00",
      Debts: DEMO.openingDebt.map(([service, month, amount]) => ({
        Account: first.id,
        Service: services[service],
        DebtPeriod: month,
        Amount: amount,
      })),
      Penalties: [{ Account: first.id, Amount: DEMO.openingPenalty }],
    },
    { post: true },
  );
  await ctx.create(
    "document",
    "Payment",
    {
      date: DEMO.payment.date,
      Account: first.id,
      Amount: DEMO.payment.amount,
      DistributionMethod: "ProportionalToDebt",
      Source: "Банк",
    },
    { post: true },
  );
  const list = await ctx.fill("GroupAccrual", "Accounts", { Month: "2011-11-01" });
  await ctx.create(
    "document",
    "GroupAccrual",
    {
      date: "2011-11-30T23:00:00",
      Month: "2011-11-01",
      AccrueServices: true,
      AccruePenalties: false,
      DistributionMethod: "ProportionalToDebt",
      Accounts: list.map((r) => ({ Account: r.Account })),
    },
    { post: true },
  );
  await loadCommonProperty(ctx, org.id as string, services, kinds, coldType.id as string);
  await loadServiceRequests(ctx, building.id as string, accounts); // requests in each status (demo-requests.ts)
  // Demo users get DEMO_PASSWORD; without it they exist but cannot log in until the
  // administrator gives them passwords (no known password ever ships with a real installation).
  for (const [login, name, role] of DEMO.users)
    await ctx.createUser({ login, name, roles: [role], password: process.env.DEMO_PASSWORD || null });
}

/**
 * The second building (DEMO.commonProperty): its accounts, services, meters and readings, and
 * its December 2011 accrual — after the seed's November accrual, which it does not touch.
 */
async function loadCommonProperty(
  ctx: InitialDataContext,
  org: string,
  services: Record<string, string>,
  kinds: Record<string, string>,
  coldType: string,
): Promise<void> {
  const c = DEMO.commonProperty;
  const building = (await ctx.create("catalog", "Buildings", { ...c.building, Organization: org })).id as string;
  const accounts: string[] = [];
  for (const a of c.accounts)
    accounts.push(
      (
        await ctx.create("catalog", "PersonalAccounts", {
          ...a,
          Beneficiaries: 0,
          OwnershipType: "Private",
          Building: building,
          Opened: "2011-12-01",
        })
      ).id as string,
    );
  await ctx.writeRecords(
    "Residents",
    c.accounts.map((a, i) => ({ period: "2011-12-01", Account: accounts[i], Registered: a.Residents, Owners: 1 })),
  );
  let order = Object.keys(services).length + 1;
  for (const [name, unit, method, normative, , source] of c.services)
    services[name] = (
      await ctx.create("catalog", "Services", {
        name,
        Unit: unit,
        CalculationMethod: method,
        CommonPropertyNormative: normative,
        CommonPropertyCap: true,
        ReceiptOrder: order,
        Priority: order++,
        PenaltiesApply: true,
        SourceServices: source ? [{ Service: services[source] }] : [],
      })
    ).id as string;
  await ctx.create(
    "document",
    "TariffChange",
    {
      date: "2011-12-01T09:00:00",
      Tariffs: c.services.map(([name, , , , rate]) => ({
        Service: services[name],
        TariffKind: kinds["Основной"],
        Rate: rate,
        RateOverNorm: "0.0000",
      })),
    },
    { post: true },
  );
  for (const [i, account] of accounts.entries())
    await ctx.create(
      "document",
      "AccountServiceChange",
      {
        date: `2011-12-01T09:10:${String(i).padStart(2, "0")}`,
        Account: account,
        Services: c.connected.map((name) => ({
          Account: account,
          Service: services[name],
          TariffKind: kinds["Основной"],
          ChangeDate: "2011-12-01",
          Status: "Connected",
        })),
      },
      { post: true },
    );
  const meter = (o: Row) =>
    ctx.create("catalog", "Meters", {
      MeterType: coldType,
      Service: services["ХВС"],
      Installed: "2011-11-30",
      NextVerification: "2017-11-30",
      ...o,
    });
  const flats: string[] = [];
  for (const [i, account] of accounts.entries())
    flats.push(
      (
        await meter({
          name: `ХВС д.57 кв.${c.accounts[i].Apartment}`,
          Kind: "Individual",
          Account: account,
          SerialNumber: `X57-${c.accounts[i].Apartment}`,
        })
      ).id as string,
    );
  const house = (await meter({ name: "ОДПУ ХВС д.57", Kind: "Collective", Building: building, SerialNumber: "H57" }))
    .id as string;
  await ctx.create(
    "document",
    "InitialMeterReadings",
    {
      date: "2011-11-30T12:00:00",
      Individual: flats.map((m, i) => ({
        Account: accounts[i],
        Meter: m,
        Reading: c.readings[i][0],
        ReadingDate: "2011-11-30",
      })),
      Collective: [{ Building: building, Meter: house, Reading: c.house[0], ReadingDate: "2011-11-30" }],
    },
    { post: true },
  );
  await ctx.create(
    "document",
    "MeterReadings",
    {
      date: "2011-12-20T18:00:00",
      Month: "2011-12-01",
      Building: building,
      Readings: [
        ...flats.map((m, i) => ({
          Account: accounts[i],
          Meter: m,
          PreviousReading: c.readings[i][0],
          Reading: c.readings[i][1],
          ReadingDate: "2011-12-20",
        })),
        { Meter: house, PreviousReading: c.house[0], Reading: c.house[1], ReadingDate: "2011-12-20" },
      ],
    },
    { post: true },
  );
  const list = await ctx.fill("GroupAccrual", "Accounts", { Month: "2011-12-01", Building: building });
  await ctx.create(
    "document",
    "GroupAccrual",
    {
      date: "2011-12-31T23:00:00",
      Month: "2011-12-01",
      Building: building,
      AccrueServices: true,
      AccruePenalties: false,
      DistributionMethod: "ProportionalToDebt",
      Accounts: list.map((r) => ({ Account: r.Account })),
    },
    { post: true },
  );
}
