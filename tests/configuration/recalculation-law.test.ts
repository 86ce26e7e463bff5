// Recalculations in the current month (issue 15 §4; docs/recalculations.md): Правила 354 п.61
// (a recalculation is posted into the current period with the period it corrects; penalties on
// it run from the current period's due date), п.86–91 (temporary absence: more than 5 full
// days, per absent person, only services without an individual meter, never heating or СОИ),
// Приказ Минстроя №43/пр (the reason shown), and «Начислить» on a posted accrual whose inputs
// changed: the changes are marked, the repost recomputes and says what changed. Every figure is
// computed by hand in the comment beside it; each test names the rule it checks.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { accountPenaltyTable } from "../../metadata/common/penalties.ts";
import { accrualChanges } from "../../metadata/documents/accrual-changes.ts";
import {
  openZhkh,
  seedCatalogs,
  doc,
  movements,
  read,
  rejects,
  item,
  accrue,
  type Seed,
} from "./documents-fixtures.ts";
import { charge, loadKeyRates } from "./payments-fixtures.ts";
import * as acc from "./accrual-fixtures.ts";
import { expectSummary } from "./accrual-summary.ts";

const t2 = (v: unknown) => new Decimal(String(v)).toFixed(2);

describe("configuration: recalculations by the law (issue 15 §4)", function () {
  describe("the Recalculation document", () => {
    let p: Platform;
    let s: Seed;
    /** Extra services: by normative, common property (СОИ), one with penalties. */
    let normative: string;
    let commonProperty: string;
    let upkeep: string;
    const a5 = () => s.accounts[4]; // no meters
    const a1 = () => s.accounts[0]; // its ХВС has a meter (ХВС кв.001)
    const a3 = () => s.accounts[2];

    before(async () => {
      p = await openZhkh("zrecalc");
      s = await seedCatalogs(p);
      normative = (await item(p, "Services", { name: "ХВС по нормативу", CalculationMethod: "ByNormative" })).id;
      commonProperty = (
        await item(p, "Services", { name: "ХВС на СОИ", CalculationMethod: "CommonPropertyByNormative" })
      ).id;
      upkeep = (
        await item(p, "Services", { name: "Содержание жилья", CalculationMethod: "ByTotalArea", PenaltiesApply: true })
      ).id;
      // November 2011 as the accrual would leave it (residents 3 on every account)
      await accrue(p, "2011-11-01", [
        { Account: a5(), Service: s.services["Вывоз мусора"], Amount: "750.00" }, // 250 × 3
        { Account: a5(), Service: normative, Amount: "416.10" }, // 3 × 6.935 × 20.00
        { Account: a5(), Service: s.services["Водоотведение"], Amount: "2536.82" },
        { Account: a5(), Service: s.services["Отопление"], Amount: "8850.00" },
        { Account: a5(), Service: commonProperty, Amount: "2.00" },
        { Account: a1(), Service: s.services["ХВС"], Amount: "868.41" },
        { Account: a1(), Service: s.services["Водоотведение"], Amount: "2536.82" },
        { Account: a3(), Service: normative, Amount: "416.10" },
      ]);
      await item(p, "Meters", {
        name: "ХВС кв.003",
        MeterType: s.types.cold,
        Service: normative,
        Kind: "Individual",
        Account: a3(),
      });
    });
    after(() => p?.close());

    /** The December 2011 recalculations of an account and service (Accruals turnover). */
    const december = async (account: string, service: string) => {
      const [t] = await read(p, (api) =>
        api.registers.Accruals.turnovers("2011-12-01", "2011-12-31", "none", { Account: account, Service: service }),
      );
      return t ? t2(t.Recalculation) : "0.00";
    };

    it("Правила 354 п.61: posted into the current period (December) with the period it corrects (November) and the reason", async () => {
      const d = await doc(p, "Recalculation", {
        date: "2011-12-05T10:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a5(),
        Service: s.services["Отопление"],
        ReasonKind: "QualityBelowStandard",
        Amount: "-1200.00",
        Reason: "Температура ниже нормы 12.11–20.11, акт №7",
      });
      const [a] = await movements(p, "Recalculation", d.id, "Accruals");
      expect([a.period, a.Recalculation, a.Amount, a.Volume]).to.deep.equal([
        "2011-12-01T00:00:00",
        "-1200.00",
        "0.00",
        "0.0000",
      ]);
      expect(a.Explanation).to.equal(
        "Перерасчет за ноябрь 2011: Услуга ненадлежащего качества или с перерывами — Температура ниже нормы 12.11–20.11, акт №7 (-1200,00)",
      );
      const [st] = await movements(p, "Recalculation", d.id, "Settlements");
      expect([st.period, st.DebtPeriod, st.Amount]).to.deep.equal(["2011-12-01T00:00:00", "2011-12-01", "-1200.00"]);
      // November's own accrual is untouched; the recalculation is December's
      const [nov] = await read(p, (api) =>
        api.registers.Accruals.turnovers("2011-11-01", "2011-11-30", "none", {
          Account: a5(),
          Service: s.services["Отопление"],
        }),
      );
      expect([t2(nov.Amount), t2(nov.Recalculation)]).to.deep.equal(["8850.00", "0.00"]);
      expect(await december(a5(), s.services["Отопление"])).to.equal("-1200.00");
    });

    it("Правила 354 п.86, 90: temporary absence of 1 of 3 residents for 10 days of November — −750,00 × 1/3 × 10/30 = −83,33 in December", async () => {
      const d = await doc(p, "Recalculation", {
        date: "2011-12-05T11:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a5(),
        Service: s.services["Вывоз мусора"],
        ReasonKind: "TemporaryAbsence",
        DaysAbsent: 10,
        PersonsAbsent: 1,
        Reason: "Командировка 05.11–14.11, справка №12",
      });
      const [a] = await movements(p, "Recalculation", d.id, "Accruals");
      // 750.00 × 1 × 10 / (3 × 30) = 83.333… → −83.33, rounded once
      expect([a.period, a.Recalculation, a.Base]).to.deep.equal(["2011-12-01T00:00:00", "-83.33", "10.0000"]);
      expect(a.Explanation).to.equal(
        "Перерасчет за ноябрь 2011: Временное отсутствие потребителя — Командировка 05.11–14.11, справка №12 (−750,00 × 1 чел. / 3 прож. × 10 дн. / 30 дн. = -83,33; п.86–91 Правил 354)",
      );
      const [st] = await movements(p, "Recalculation", d.id, "Settlements");
      expect([st.DebtPeriod, st.Amount]).to.deep.equal(["2011-12-01", "-83.33"]);
    });

    it("Правила 354 п.86, 90: per absent person — 2 of 3 for 6 days by normative: −416,10 × 2/3 × 6/30 = −55,48; sewerage without meters, all 3 for 30 days: −2 536,82", async () => {
      // 416.10 × 2 × 6 / 90 = 55.48 exactly
      const d = await doc(p, "Recalculation", {
        date: "2011-12-05T12:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a5(),
        Service: normative,
        ReasonKind: "TemporaryAbsence",
        DaysAbsent: 6,
        PersonsAbsent: 2,
      });
      expect((await movements(p, "Recalculation", d.id, "Accruals"))[0].Recalculation).to.equal("-55.48");
      // Водоотведение (volume of ХВС + ГВС): account 5 has no meter of either source
      const d2 = await doc(p, "Recalculation", {
        date: "2011-12-05T12:30:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a5(),
        Service: s.services["Водоотведение"],
        ReasonKind: "TemporaryAbsence",
        DaysAbsent: 30,
        PersonsAbsent: 3,
      });
      expect((await movements(p, "Recalculation", d2.id, "Accruals"))[0].Recalculation).to.equal("-2536.82");
    });

    it("Правила 354 п.86: 5 days or fewer, more days than the month has, persons above the residents — refused naming the field; nothing posted", async () => {
      const base = {
        date: "2011-12-06T10:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a5(),
        Service: s.services["Вывоз мусора"],
        ReasonKind: "TemporaryAbsence",
        PersonsAbsent: 1,
      };
      const five = await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 5 }));
      expect(five.field).to.equal("DaysAbsent");
      expect(five.message).to.match(
        /^Перерасчет №\d+, поле «Дней отсутствия»: .*более 5 полных календарных дней.*п\.86 Правил 354.*указано 5$/,
      );
      const long = await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 31 }));
      expect(long.field).to.equal("DaysAbsent");
      expect(long.message).to.contain("указано 31, а в месяце ноябрь 2011 30 дн.");
      const persons = await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 10, PersonsAbsent: 4 }));
      expect(persons.field).to.equal("PersonsAbsent");
      expect(persons.message).to.contain("«Отсутствовало человек»: от 1 до 3");
      const none = await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 10, PersonsAbsent: null }));
      expect(none.field).to.equal("PersonsAbsent");
      const typed = await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 10, Amount: "-100.00" }));
      expect(typed.field).to.equal("Amount");
      // only the −83.33 of the earlier test in December for this service
      expect(await december(a5(), s.services["Вывоз мусора"])).to.equal("-83.33");
    });

    it("Правила 354 п.86: not heating, not common property (СОИ), not a service with an individual meter (its own or its volume's source)", async () => {
      const base = {
        date: "2011-12-06T11:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        ReasonKind: "TemporaryAbsence",
        DaysAbsent: 10,
        PersonsAbsent: 1,
      };
      const heating = await rejects(
        doc(p, "Recalculation", { ...base, Account: a5(), Service: s.services["Отопление"] }),
      );
      expect(heating.field).to.equal("Service");
      expect(heating.message).to.match(/поле «Услуга»: услуга «Отопление» .*за отопление и услуги по площади.*п\.86/);
      const soi = await rejects(doc(p, "Recalculation", { ...base, Account: a5(), Service: commonProperty }));
      expect(soi.field).to.equal("Service");
      expect(soi.message).to.contain("(СОИ)").and.contain("п.88 Правил 354");
      const metered = await rejects(doc(p, "Recalculation", { ...base, Account: a1(), Service: s.services["ХВС"] }));
      expect(metered.field).to.equal("Service");
      expect(metered.message).to.contain("по индивидуальному прибору учета");
      const source = await rejects(
        doc(p, "Recalculation", { ...base, Account: a1(), Service: s.services["Водоотведение"] }),
      );
      expect(source.field).to.equal("Service");
      expect(source.message).to.contain("прибор учета «ХВС кв.001» услуги, из объема которой считается эта");
      const own = await rejects(doc(p, "Recalculation", { ...base, Account: a3(), Service: normative }));
      expect(own.field).to.equal("Service");
      expect(own.message).to.contain("прибор учета «ХВС кв.003» этой услуги");
      for (const [a, sv] of [
        [a5(), s.services["Отопление"]],
        [a5(), commonProperty],
        [a1(), s.services["ХВС"]],
        [a1(), s.services["Водоотведение"]],
        [a3(), normative],
      ])
        expect(await december(a, sv)).to.equal(sv === s.services["Отопление"] ? "-1200.00" : "0.00");
    });

    it("Правила 354 п.61: a corrected period after the current one is refused naming the field; a reason only for absence takes no persons", async () => {
      const later = await rejects(
        doc(p, "Recalculation", {
          date: "2011-11-20T10:00:00",
          Month: "2011-11-01",
          CorrectedPeriod: "2011-12-01",
          Account: a5(),
          Service: s.services["Вывоз мусора"],
          ReasonKind: "Correction",
          Amount: "100.00",
        }),
      );
      expect(later.field).to.equal("CorrectedPeriod");
      expect(later.message).to.match(
        /^Перерасчет №\d+, поле «Период перерасчета»: декабрь 2011 позже текущего периода \(ноябрь 2011\)/,
      );
      const persons = await rejects(
        doc(p, "Recalculation", {
          date: "2011-12-06T12:00:00",
          Month: "2011-12-01",
          CorrectedPeriod: "2011-11-01",
          Account: a5(),
          Service: s.services["Вывоз мусора"],
          ReasonKind: "Correction",
          Amount: "100.00",
          PersonsAbsent: 1,
        }),
      );
      expect(persons.field).to.equal("PersonsAbsent");
      const [nov] = await read(p, (api) =>
        api.registers.Accruals.turnovers("2011-11-01", "2011-11-30", "none", {
          Account: a5(),
          Service: s.services["Вывоз мусора"],
        }),
      );
      expect(t2(nov.Recalculation)).to.equal("0.00");
      expect(await december(a5(), s.services["Вывоз мусора"])).to.equal("-83.33");
    });

    it("Правила 354 п.61, ЖК 155 ч.14: +500,00 for January 2024 entered in June 2024 — penalty on 30.06.2024 = 0,00; it runs from 10.08.2024 (day 31 after the due date 10.07.2024)", async () => {
      await loadKeyRates(p);
      await doc(p, "Recalculation", {
        date: "2024-06-20T10:00:00",
        Month: "2024-06-01",
        CorrectedPeriod: "2024-01-01",
        Account: a5(),
        Service: upkeep,
        ReasonKind: "Correction",
        Amount: "500.00",
        Reason: "Не начислено за январь 2024",
      });
      const june = await read(p, (api) => accountPenaltyTable(api, a5(), "2024-06-30"));
      expect(june.total.toFixed(2)).to.equal("0.00");
      // due 10.07.2024 (June's due day 10 of the next month): days 1–30 = 11.07–09.08, day 31 = 10.08
      const aug = await read(p, (api) => accountPenaltyTable(api, a5(), "2024-08-15"));
      expect(aug.rows.map((r) => [r.from, r.to, r.days, r.fraction])).to.deep.equal([
        ["2024-08-10", "2024-08-15", 6, "1/300"],
      ]);
      // The same 500,00 charged AS January's debt would have run from 12.03.2024 (day 31 after
      // 10.02.2024): 12.03–10.05 60 days at 1/300, 11.05–30.06 51 days at 1/130 (at 9.5%:
      // 9.50 + 18.63 = 28.13) — the recalculation must not be that.
      await charge(p, "2024-01-01", [{ account: s.accounts[3], service: upkeep, amount: "500.00" }]);
      const asJanuary = await read(p, (api) => accountPenaltyTable(api, s.accounts[3], "2024-06-30"));
      expect(asJanuary.rows.map((r) => [r.from, r.to, r.days, r.fraction])).to.deep.equal([
        ["2024-03-12", "2024-05-10", 60, "1/300"],
        ["2024-05-11", "2024-06-30", 51, "1/130"],
      ]);
      expect(asJanuary.total.gt(0)).to.equal(true);
    });
  });

  describe("«Начислить» on a posted accrual whose inputs changed", () => {
    let p: Platform;
    let w: acc.World;
    let a: string;
    let cold: string;
    let g: { id: string };

    before(async () => {
      p = await acc.accrualPlatform("zrecalcg");
      w = await acc.seedWorld(p);
      a = await acc.account(w);
      cold = await acc.meter(w, a, "ХВС", w.coldType, "ХВС кв.001");
      const hot = await acc.meter(w, a, "ГВС", w.hotType, "ГВС кв.001");
      await acc.readings(w, [
        { account: a, meter: cold, date: "2011-10-31", value: "100.0000" },
        { account: a, meter: hot, date: "2011-10-31", value: "50.0000" },
      ]);
      await acc.readings(w, [
        { account: a, meter: cold, date: "2011-11-24", value: "143.4205" },
        { account: a, meter: hot, date: "2011-11-24", value: "70.0000" },
      ]);
      g = (await acc.accrue(p, "2011-11-01", [a])) as { id: string };
    });
    after(() => p?.close());

    const changes = () => read(p, (api) => accrualChanges(api as never, g.id));
    const kindOf = (name: string) => w.kinds[acc.SEED_SERVICES.find((x) => x.name === name)!.kind];
    const lines = async () => {
      const l = await acc.linesByService(w, g.id);
      return { total: acc.total(Object.values(l)), l };
    };
    const repost = () => acc.inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", g.id));

    it("issue 15 §4: the first posting records what it computed — 1 account, 6 lines, 13 752,73 — and nothing pending", async () => {
      expect((await lines()).total).to.equal("13752.73");
      const { own, pending } = await changes();
      expectSummary(own!.Description, "Начислено: 1 л/с, 6 строк на сумму 13752,73", {
        charged: 1,
        total: "13752.73",
      });
      expect([t2(own!.Amount), String(own!.Lines)]).to.deep.equal(["13752.73", "6"]);
      expect(pending).to.deep.equal([]);
    });

    it("issue 15 §4, Правила 354 п.61: a reading changed after posting marks the accrual; «Начислить» recomputes +600,00 (10 m³ × 20,00 ХВС + 10 m³ × 40,00 sewerage) and says so", async () => {
      const r = await doc(p, "MeterReadings", {
        date: "2011-11-26T09:00:00",
        Month: "2011-11-01",
        Readings: [{ Account: a, Meter: cold, Reading: "153.4205", ReadingDate: "2011-11-25" }],
      });
      const marks = await movements(p, "MeterReadings", r.id, "AccrualChanges");
      expect(marks.map((m) => [m.Accrual, m.Account, m.Source])).to.deep.equal([[g.id, a, `MeterReadings ${r.id}`]]);
      const { pending } = await changes();
      expect(pending.map((m) => m.Description)).to.deep.equal([
        `Показания приборов учета №${r.number} от 26.11.2011: «ХВС кв.001» — показание 153,4205 на 25.11.2011`,
      ]);
      // still the old bill until «Начислить»
      expect((await lines()).total).to.equal("13752.73");
      await repost();
      const { total, l } = await lines();
      // ХВС 53.4205 × 20.00 = 1068.41 (+200.00); Водоотведение 73.4205 × 40.00 = 2936.82 (+400.00)
      expect([l["ХВС"].Amount, l["Водоотведение"].Amount, total]).to.deep.equal(["1068.41", "2936.82", "14352.73"]);
      const after = await changes();
      expectSummary(
        after.own!.Description,
        "Пересчитано: 1 л/с, 6 строк на сумму 14352,73 (было 13752,73, разница +600,00); учтено изменений после прошлого начисления: 1",
        { charged: 1, total: "14352.73", services: { ХВС: "1068.41", Водоотведение: "2936.82" } },
      );
      expect(after.pending).to.deep.equal([]);
    });

    it("issue 15 §4: a tariff and a disconnection after posting are listed; the repost takes both in (+53,42 and −750,00)", async () => {
      // effective from the month's first day (a tariff changed mid-month is split by days)
      const t = await doc(p, "TariffChange", {
        date: "2011-11-01T09:00:00",
        Tariffs: [{ Service: w.services["ХВС"], TariffKind: kindOf("ХВС"), Rate: "21.0000" }],
      });
      const c = await doc(p, "AccountServiceChange", {
        date: "2011-11-27T10:00:00",
        Services: [
          {
            Account: a,
            Service: w.services["Вывоз мусора"],
            TariffKind: kindOf("Вывоз мусора"),
            ChangeDate: "2011-11-01",
            Status: "Disconnected",
          },
        ],
      });
      const { pending } = await changes();
      expect(pending.map((m) => m.Source)).to.deep.equal([`TariffChange ${t.id}`, `AccountServiceChange ${c.id}`]);
      expect(pending[0].Description).to.match(
        /^Изменение тарифов на услуги №\d+ от 01\.11\.2011: тариф «ХВС» \(.+\) с 01\.11\.2011$/,
      );
      expect(pending[1].Description).to.match(/: л\/с \d+: «Вывоз мусора» — отключена с 01\.11\.2011$/);
      await repost();
      const { total, l } = await lines();
      // ХВС 53.4205 × 21.00 = 1121.8305 → 1121.83 (+53.42); Вывоз мусора no longer charged (−750.00)
      expect(l["ХВС"].Amount).to.equal("1121.83");
      expect(l["Вывоз мусора"]).to.equal(undefined);
      expect(total).to.equal("13656.15"); // 14352.73 + 53.42 − 750.00
      const after = await changes();
      expectSummary(
        after.own!.Description,
        "Пересчитано: 1 л/с, 5 строк на сумму 13656,15 (было 14352,73, разница -696,58); учтено изменений после прошлого начисления: 2",
        { charged: 1, total: "13656.15" },
      );
      expect(after.pending).to.deep.equal([]);
    });

    it("issue 15 §4: a change of a month with no posted accrual (December) marks nothing", async () => {
      const r = await doc(p, "MeterReadings", {
        date: "2011-12-20T09:00:00",
        Month: "2011-12-01",
        Readings: [{ Account: a, Meter: cold, Reading: "160.0000", ReadingDate: "2011-12-20" }],
      });
      expect(await movements(p, "MeterReadings", r.id, "AccrualChanges")).to.deep.equal([]);
      expect((await changes()).pending).to.deep.equal([]);
    });

    it("issue 15 §4: an initial reading of a new meter dated in the accrued month (Ввод начальных показаний) marks the accrual too", async () => {
      const added = await acc.meter(w, a, "ГВС", w.hotType, "ГВС кв.001 (замена)");
      const r = await doc(p, "InitialMeterReadings", {
        date: "2011-11-28T09:00:00",
        Individual: [{ Account: a, Meter: added, Reading: "5.0000", ReadingDate: "2011-11-28" }],
        Collective: [],
      });
      const marks = await movements(p, "InitialMeterReadings", r.id, "AccrualChanges");
      expect(marks.map((m) => [m.Accrual, m.Account, m.Source])).to.deep.equal([
        [g.id, a, `InitialMeterReadings ${r.id}`],
      ]);
      expect((await changes()).pending.map((m) => m.Description)).to.deep.equal([
        `Ввод начальных показаний приборов учета №${r.number} от 28.11.2011: «ГВС кв.001 (замена)» — начальное показание 5,0000 на 28.11.2011`,
      ]);
    });
  });
});
