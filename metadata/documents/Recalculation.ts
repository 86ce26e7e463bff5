// Перерасчет (Правила 354 п.61, 86–97; Приказ Минстроя №43/пр; docs/recalculations.md).
// A recalculation is made in the current period for a period it corrects:
//  - Month is the current period: the movements go to its first day (period = Month 00:00), so
//    the receipt of the current month shows the sum in its «Перерасчет» column, and the
//    Settlements receipt has DebtPeriod = Month — penalties on it run from the current period's
//    due date, never from the corrected month's (+500,00 for January 2024 entered in June 2024:
//    due 10.07.2024, so no penalty on 30.06.2024);
//  - CorrectedPeriod is the month corrected (empty: Month itself); it may not be after Month.
// Posting: one Accruals record for (Account, Service) with the Recalculation resource (Volume
// and Amount 0), Explanation = the corrected month, the reason and how the sum was found; and one
// Settlements receipt of the signed sum less its benefit — a negative sum lowers the debt.
// Benefits (docs/benefits.md): the account's benefits in force in the corrected month
// (AccountBenefits, BenefitCategories) are applied to the recalculated sum as GroupAccrual
// applies them to a charge (accrual-benefits.ts#withBenefits on |sum|: charge × share × P % ×
// d/D, half up once; ByNormativeVolume takes the corrected month's accrued volume), signed like
// the sum: the record's Benefits resource, and Settlements takes sum − benefit.
// Entries of Accounting (common/bookkeeping.ts, docs/bookkeeping.md): Дт 62.01 Кт 90.01 the sum — a
// negative one is a storno, the same entry with a negative sum —, Дт 76.09 Кт 62.01 the benefit.
// The sum:
//  - Amount when given (either sign, not zero);
//  - ReasonKind = TemporaryAbsence (п.86–91): minus the corrected month's accrual of the account
//    and service × PersonsAbsent / the account's Residents × DaysAbsent / days in that month,
//    rounded half up to kopecks once. Only for more than TEMPORARY_ABSENCE.minDays full days
//    (п.86: more than 5 full calendar days in a row), per absent person (п.86, 90), for a
//    service charged by normative or per resident without an individual meter (п.86: not by a
//    meter, not heating; п.88: not common property — СОИ); the amount is computed, never typed;
//  - otherwise DaysAbsent (days the service was not provided, e.g. a quality reason): minus the
//    corrected month's accrual × DaysAbsent / days in that month, rounded once.
// Refused before anything is written, naming the document and the field: neither amount nor
// days, a zero amount, CorrectedPeriod after Month, days outside 1..days of the month (≤ 5 for a
// temporary absence), persons absent missing or above the residents, a service with a meter or
// charged by area, heating or СОИ for a temporary absence, nothing accrued in the corrected month.
import { Decimal } from "decimal.js";
import { daysInMonth, monthEnd, monthStart } from "../../server/api.ts";
import { type LineRecord, serviceFacts } from "../common/accrual.ts";
import { withBenefits } from "../common/accrual-benefits.ts";
import { AccrualError, scaled } from "../common/accrual-figures.ts";
import { benefitInputs, monthResidents } from "../common/accrual-inputs.ts";
import { postAccrualEntries } from "../common/bookkeeping.ts";
import { daysAbsentAmount } from "../common/recalculation-amount.ts";
import { monthName } from "../common/texts.ts";
import { type CalculationMethods, defineDocument, type Posting } from "../types.gen.ts";

/**
 * The configuration's settings for a temporary absence (Правила 354 п.86): the recalculation
 * needs more than `minDays` full days, and is made only for services calculated by `methods`
 * (by normative, per resident, and a volume derived from such services — sewerage); by meter,
 * by area (heating by area, maintenance), heating by a house meter and common property (СОИ)
 * are not recalculated.
 */
export const TEMPORARY_ABSENCE: Readonly<{ minDays: number; methods: readonly CalculationMethods[] }> = Object.freeze({
  minDays: 5,
  methods: Object.freeze(["ByNormative", "ByResidents", "DerivedVolume"] as CalculationMethods[]),
});

// Numbers go to the engine as decimal strings (toFixed), not as Decimal objects: a Decimal made
// here may come from another copy of decimal.js than the engine's (ESM vs CommonJS) and fail its
// instanceof checks.
const fmt = (d: Decimal) => d.toFixed(2).replace(".", ",");
/** Persons of a month, pro rata by days: «3» or «3,5». */
const fmtPersons = (d: Decimal) => d.toDecimalPlaces(4).toString().replace(".", ",");

type Ctx = Posting<"Recalculation">;

/** The refusal's text: «Перерасчет №…, поле «…»: …» — the document and the field named. */
function refuse(ctx: Ctx, field: string, caption: string, text: string): Error {
  return ctx.error(`Перерасчет №${ctx.doc.number}, поле «${caption}»: ${text}`, { field });
}

/** The corrected month's accrual (Accruals turnover, Amount) of the account and service. */
async function accruedIn(ctx: Ctx, month: string): Promise<Decimal> {
  const turns = await ctx.registers.Accruals.turnovers(month, monthEnd(month), "none", {
    Account: ctx.doc.Account,
    Service: ctx.doc.Service,
  });
  return turns.reduce((s, t) => s.plus(t.Amount), new Decimal(0));
}

/** A whole number of the field, or a refusal naming it. */
function whole(ctx: Ctx, v: Decimal, field: string, caption: string): number {
  if (!v.isInteger()) throw refuse(ctx, field, caption, `нужно целое число, указано ${v.toString()}`);
  return v.toNumber();
}

/** Temporary absence (п.86–91): the sum and how it was found, or a refusal. */
async function temporaryAbsence(ctx: Ctx, month: string): Promise<{ amount: Decimal; how: string; base: Decimal }> {
  const d = ctx.doc;
  if (d.Amount != null)
    throw refuse(
      ctx,
      "Amount",
      "Сумма",
      "при временном отсутствии сумма рассчитывается по дням отсутствия и числу отсутствовавших (п.86–91 Правил 354): очистите сумму",
    );
  const dim = daysInMonth(month);
  if (d.DaysAbsent == null)
    throw refuse(ctx, "DaysAbsent", "Дней отсутствия", "укажите число полных дней временного отсутствия");
  const days = whole(ctx, d.DaysAbsent, "DaysAbsent", "Дней отсутствия");
  if (days > dim)
    throw refuse(
      ctx,
      "DaysAbsent",
      "Дней отсутствия",
      `указано ${days}, а в месяце ${monthName(month)} ${dim} дн.: отсутствие в следующем месяце оформите отдельным перерасчетом`,
    );
  if (days <= TEMPORARY_ABSENCE.minDays)
    throw refuse(
      ctx,
      "DaysAbsent",
      "Дней отсутствия",
      `перерасчет за временное отсутствие делается, если оно длилось более ${TEMPORARY_ABSENCE.minDays} полных календарных дней подряд (п.86 Правил 354), указано ${days}`,
    );
  if (d.PersonsAbsent == null)
    throw refuse(
      ctx,
      "PersonsAbsent",
      "Отсутствовало человек",
      "укажите, сколько проживающих отсутствовало (перерасчет делается на каждого отсутствовавшего, п.86 Правил 354)",
    );
  const persons = whole(ctx, d.PersonsAbsent, "PersonsAbsent", "Отсутствовало человек");
  const [account] = await ctx.query("catalog", "PersonalAccounts", { id: d.Account });
  // the persons the corrected month was charged for (Residents register, pro rata by days)
  const residents = account ? await monthResidents(ctx, month, account) : new Decimal(0);
  if (persons < 1 || residents.lt(persons))
    throw refuse(
      ctx,
      "PersonsAbsent",
      "Отсутствовало человек",
      residents.isZero()
        ? `на лицевом счете ${account?.code ?? ""} не указано проживающих: перерассчитывать не на кого`
        : `от 1 до ${fmtPersons(residents)} (проживало на лицевом счете ${account.code} за ${monthName(month)}), указано ${persons}`,
    );
  const [service] = await ctx.query("catalog", "Services", { id: d.Service }, { tables: true });
  const method = service.CalculationMethod;
  if (!TEMPORARY_ABSENCE.methods.includes(method)) {
    const how = ctx.enumValues("CalculationMethods").find((v) => v.name === method)?.synonym ?? method;
    const why =
      method === "ByMeter"
        ? "начисляется по индивидуальному прибору учета — за временное отсутствие перерасчет делается только по услугам без прибора учета"
        : method === "HeatingByHouseMeter" || method === "ByTotalArea" || method === "ByLivingArea"
          ? "начисляется по площади — за отопление и услуги по площади перерасчет при временном отсутствии не делается"
          : method === "CommonPropertyByHouseMeter" || method === "CommonPropertyByNormative"
            ? "это коммунальный ресурс на содержание общего имущества (СОИ) — по нему перерасчет при временном отсутствии не делается"
            : "не зависит от числа проживающих — перерасчет при временном отсутствии не делается";
    throw refuse(
      ctx,
      "Service",
      "Услуга",
      `услуга «${service.name}» (способ расчета «${how}») ${why} (п.${method.startsWith("CommonProperty") ? "88" : "86"} Правил 354)`,
    );
  }
  // An individual meter of the service (or of a source of its volume: sewerage from metered water).
  const serviceIds = [d.Service, ...(service.SourceServices ?? []).map((r) => r.Service)];
  const meter = (
    await ctx.query("catalog", "Meters", { Kind: "Individual", Account: d.Account, Service: serviceIds })
  ).find((m) => !m.deletionMark && (!m.Installed || m.Installed <= monthEnd(month)));
  if (meter)
    throw refuse(
      ctx,
      "Service",
      "Услуга",
      `у лицевого счета есть индивидуальный прибор учета «${meter.name}» ${meter.Service === d.Service ? "этой услуги" : "услуги, из объема которой считается эта"}: за временное отсутствие перерасчет делается только по услугам без прибора учета (п.86 Правил 354)`,
    );
  const accrued = await accruedIn(ctx, month);
  if (accrued.isZero())
    throw refuse(
      ctx,
      "CorrectedPeriod",
      "Период перерасчета",
      `за ${monthName(month)} по услуге «${service.name}» ничего не начислено: перерассчитывать нечего`,
    );
  const amount = daysAbsentAmount(accrued, days, dim, { absent: persons, residents });
  if (amount.isZero())
    throw refuse(ctx, "DaysAbsent", "Дней отсутствия", "перерасчет за дни отсутствия округляется до нуля");
  return {
    amount,
    base: new Decimal(days),
    how: `−${fmt(accrued)} × ${persons} чел. / ${fmtPersons(residents)} прож. × ${days} дн. / ${dim} дн. = ${fmt(amount)}; п.86–91 Правил 354`,
  };
}

/**
 * The benefit of the recalculated `amount` (signed like it) and its explanation: the account's
 * benefits in force in the corrected `month` applied as GroupAccrual applies them to a charge.
 */
async function benefitOf(ctx: Ctx, month: string, amount: Decimal): Promise<{ benefit: Decimal; text: string }> {
  const none = { benefit: new Decimal(0), text: "" };
  const [account] = await ctx.query("catalog", "PersonalAccounts", { id: ctx.doc.Account });
  const [service] = await ctx.query("catalog", "Services", { id: ctx.doc.Service });
  if (!account || !service) return none;
  try {
    const { facts, benefits } = await benefitInputs(ctx, month, account);
    if (!benefits?.length) return none;
    const turns = await ctx.registers.Accruals.turnovers(month, monthEnd(month), "none", {
      Account: ctx.doc.Account,
      Service: ctx.doc.Service,
    });
    const volume = turns.reduce((v, t) => v.plus(t.Volume), new Decimal(0));
    const line = {
      // (withBenefits reads the amount and the explanation of the line, and its volume)
      fields: { Amount: amount.abs().toFixed(2), Explanation: "" } as LineRecord["fields"],
      charged: true,
      volume: scaled(volume.toFixed(4), 4, "Объем") ?? 0,
    };
    const out = withBenefits(line, benefits, facts, ctx.doc.Service, serviceFacts(service));
    if (out === line) return none;
    const benefit = new Decimal(out.fields.Benefits);
    if (benefit.isZero()) return none;
    const signed = amount.isNegative() ? benefit.neg() : benefit;
    const text = out.fields.Explanation.replace(/^; /, "");
    return { benefit: signed, text: amount.isNegative() ? `${text} (со знаком перерасчета: ${fmt(signed)})` : text };
  } catch (e) {
    if (e instanceof AccrualError) throw refuse(ctx, "Service", "Услуга", e.message);
    throw e;
  }
}

export default defineDocument("Recalculation", {
  async post(ctx) {
    const d = ctx.doc;
    const current = monthStart(d.Month);
    const month = d.CorrectedPeriod ? monthStart(d.CorrectedPeriod) : current;
    if (month > current)
      throw refuse(
        ctx,
        "CorrectedPeriod",
        "Период перерасчета",
        `${monthName(month)} позже текущего периода (${monthName(current)}): перерасчет делается в текущем периоде за него или за прошедшие месяцы`,
      );
    if (d.PersonsAbsent != null && d.ReasonKind !== "TemporaryAbsence")
      throw refuse(
        ctx,
        "PersonsAbsent",
        "Отсутствовало человек",
        "указывается только при основании «Временное отсутствие потребителя»",
      );
    const period = `${current}T00:00:00`;
    let amount: Decimal;
    let how: string;
    let base: Decimal | null = null;
    if (d.ReasonKind === "TemporaryAbsence") {
      ({ amount, how, base } = await temporaryAbsence(ctx, month));
    } else if (d.Amount != null) {
      if (d.Amount.isZero()) throw ctx.error("Сумма перерасчета не может быть нулевой", { field: "Amount" });
      amount = d.Amount;
      how = `${fmt(amount)}`;
    } else if (d.DaysAbsent != null) {
      const days = daysInMonth(month);
      if (!d.DaysAbsent.isInteger() || d.DaysAbsent.lt(1) || d.DaysAbsent.gt(days))
        throw ctx.error(`Дней отсутствия — от 1 до ${days} (дней в месяце ${monthName(month)})`, {
          field: "DaysAbsent",
        });
      const accrued = await accruedIn(ctx, month);
      if (accrued.isZero())
        throw ctx.error(
          `За ${monthName(month)} по услуге лицевого счета ничего не начислено: перерассчитывать по дням отсутствия нечего (укажите сумму)`,
          { field: "DaysAbsent" },
        );
      amount = daysAbsentAmount(accrued, d.DaysAbsent, days);
      if (amount.isZero()) throw ctx.error("Перерасчет за дни отсутствия округляется до нуля", { field: "DaysAbsent" });
      base = d.DaysAbsent;
      how = `−${fmt(accrued)} × ${d.DaysAbsent.toString()} дн. отсутствия / ${days} дн. = ${fmt(amount)}`;
    } else {
      throw ctx.error("Укажите сумму перерасчета или количество дней отсутствия", { field: "Amount" });
    }
    const reasons = [
      d.ReasonKind ? ctx.enumValues("RecalculationReasons").find((v) => v.name === d.ReasonKind)?.synonym : null,
      d.Reason,
    ].filter((x): x is string => !!x);
    const { benefit, text } = await benefitOf(ctx, month, amount);
    const explanation = `Перерасчет${month !== current ? ` за ${monthName(month)}` : ""}${reasons.length ? ": " + reasons.join(" — ") : ""} (${how})${text ? `; ${text}` : ""}`;
    ctx.movements.Accruals.add({
      period,
      Account: d.Account,
      Service: d.Service,
      Volume: 0,
      Amount: 0,
      Benefits: benefit.toFixed(2),
      Recalculation: amount.toFixed(2),
      Base: base?.toFixed() ?? null,
      Explanation: [...explanation].slice(0, 500).join(""),
    });
    // (a 100 % benefit leaves nothing due: no Settlements receipt, as GroupAccrual's lines)
    if (!amount.minus(benefit).isZero())
      ctx.movements.Settlements.add({
        period,
        kind: "receipt",
        Account: d.Account,
        Service: d.Service,
        DebtPeriod: current,
        Amount: amount.minus(benefit).toFixed(2),
      });
    // Entries (common/bookkeeping.ts): Дт 62.01 Кт 90.01 the sum (negative: a storno), the benefit Дт 76.09 Кт 62.01
    await postAccrualEntries(ctx, {
      at: String(d.date),
      accounts: [d.Account],
      accruals: ctx.movements.Accruals.rows,
      label: `(перерасчет за ${monthName(month)})`,
    });
  },
});
