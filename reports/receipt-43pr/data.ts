/**
 * Платежный документ по форме Приказа Минстроя России от 26.01.2018 №43/пр (issue 15 §8), for the
 * same accounts as reports/receipt (one account, a GroupAccrual's accounts, a building, all):
 *  1. payer and executor: the account (ФЛС, ФИО, address, areas, residents) and the building's
 *     managing organization (name, INN, address, phone);
 *  2. per payee (Services.Payee; empty or the building's organization: the account's main payee,
 *     which also takes the penalties and the advance): its requisites (INN, KPP, bank, BIK,
 *     account, corr. account), opening debt, paid, accrued, to pay, and its own QR code
 *     (ГОСТ Р 56042, reports/receipt/gost.ts) with that payee's sum;
 *  3. per service (rows of the payee's services): unit; volume, charge and total individual and
 *     for common property (СОИ: services charged CommonPropertyByHouseMeter/ByNormative, put in
 *     the row of their first source service, Services.SourceServices, when the account has it,
 *     else a row of their own); tariff; accrued; the raising factor and the excess it makes, as
 *     the charge recorded them (Accruals.RaisingFactor, RaisingFactorExcess: the accrual priced
 *     the line with them — a later change of Services.RaisingFactor does not rewrite a receipt);
 *     the recalculation: the Σ of all the month's Recalculation documents of the service;
 *     benefits; to pay;
 *  4. reference data per service: normatives (Services.Normative, CommonPropertyNormative), the
 *     account's and the house's meters' current readings, the house's total volumes in the
 *     premises and on common property (Σ Accruals volumes of the building's accounts);
 *  5. recalculations with reasons: every posted Recalculation document of the month (reason kind,
 *     comment, corrected period, document, amount), by service, and their total — which is the
 *     recalculation column's total of section 3. A document's amount is its Amount; one found
 *     from days (a temporary absence, days without the service) is what its posting computed:
 *     common/recalculation-amount.ts from the corrected month's accrual; when it is the only such
 *     document of its service, the service's recalculation turnover minus the typed amounts.
 * Totals equal the seed's receipt: for 00000000001, November 2011, to pay 13 996,24.
 */
import { Decimal } from "decimal.js";
import { type LoadedMeter, meterHistories, monthResidents, PROBE_LIMIT } from "../../metadata/common/accrual-inputs.ts";
import { dec } from "../../metadata/common/money.ts";
import { DEFAULT_DUE_DAY, dueDateOf } from "../../metadata/common/penalty-arithmetic.ts";
import { daysAbsentAmount } from "../../metadata/common/recalculation-amount.ts";
import type { MeterTypesCatalog, OrganizationsCatalog, ServicesCatalog } from "../../metadata/types.gen.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { daysInMonth, monthEnd, monthStart } from "../../server/api.ts";
import { type AccountInfo, enumSynonyms, type Recipient, recipientOf } from "../_lib/catalogs.ts";
import { type AccrualLine, accruals, penaltyBalances, settlements, total } from "../_lib/figures.ts";
import { receiptScope, tariffs } from "../_lib/receipt-inputs.ts";
import { requestCharges } from "../_lib/request-charges.ts";
import { typed } from "../_lib/typed.ts";
import { withQrImage } from "../receipt/data.ts";
import { gostPaymentString } from "../receipt/gost.ts";

const ZERO = new Decimal(0);
const s = (v: unknown) => (v == null ? "" : String(v));
const COMMON = new Set(["CommonPropertyByHouseMeter", "CommonPropertyByNormative"]);
/** A reading in ten-thousandths as a Decimal. */
const readingValue = (v: number) => new Decimal(v).div(10000);

/** One row of section 3: a service, its individual and СОИ parts. */
export interface ServiceRow {
  service: string;
  name: string;
  unit: string;
  volume: Decimal | null;
  commonVolume: Decimal | null;
  tariff: Decimal | null;
  amount: Decimal;
  commonAmount: Decimal;
  accrued: Decimal;
  factor: Decimal | null;
  factorExcess: Decimal | null;
  recalculation: Decimal;
  benefits: Decimal;
  total: Decimal;
  commonTotal: Decimal;
  toPay: Decimal;
  /** The СОИ service paired into this row (its id), if any. */
  common: string | null;
}

export default async function receipt43(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { month, accounts } = await receiptScope(ctx, p);
  const end = monthEnd(month);
  const wanted = accounts.length === 1 ? new Set([accounts[0].id]) : null;
  const flows = await settlements(ctx, month, end, wanted);
  // every account's lines: the house's total volumes (reference data) need the whole building
  const lines = await accruals(ctx, month, end, null);
  const penalties = await penaltyBalances(ctx, end, wanted);
  const rateOf = await tariffs(ctx, end, wanted);
  const requestsOf = await requestCharges(ctx, month, wanted); // paid works: the requests' numbers on their line
  const serviceRows = await ctx.query("catalog", "Services", {}, { tables: true });
  const services = new Map<string, ServicesCatalog>(serviceRows.map((x) => [x.id, x]));
  const orgs = new Map<string, OrganizationsCatalog>(
    (await ctx.query("catalog", "Organizations", {})).map((o) => [o.id, o]),
  );
  const settings = await ctx.info.PenaltySettings.sliceLast(month);
  const dueDay =
    settings[0]?.DueDay != null && !dec(settings[0].DueDay).isZero()
      ? dec(settings[0].DueDay).toNumber()
      : DEFAULT_DUE_DAY;
  const ownership = enumSynonyms(ctx, "OwnershipTypes");
  const reasonNames = enumSynonyms(ctx, "RecalculationReasons");
  const order = (a: string, b: string) => {
    const x = services.get(a),
      y = services.get(b);
    const o = (v: ServicesCatalog | undefined) => (v?.ReceiptOrder == null ? 999 : Number(String(v.ReceiptOrder)));
    return o(x) - o(y) || s(x?.name).localeCompare(s(y?.name));
  };

  // the account of each line's building, and the house's volumes per building and service
  const allAccounts = await ctx.query("catalog", "PersonalAccounts", {});
  const buildingOf = new Map(allAccounts.map((a) => [a.id, a.Building]));
  const houseVolumes = new Map<string, Map<string, Decimal>>();
  for (const [account, list] of lines) {
    const b = buildingOf.get(account);
    if (!b) continue;
    let m = houseVolumes.get(b);
    if (!m) houseVolumes.set(b, (m = new Map()));
    for (const l of list) m.set(l.service, (m.get(l.service) ?? ZERO).plus(l.volume));
  }

  // meters: the accounts' individual ones and their buildings' collective ones, with readings
  const buildingIds = [...new Set(accounts.map((a) => a.row.Building).filter(Boolean))];
  const individual = (
    await ctx.query("catalog", "Meters", wanted ? { Account: [...wanted][0] } : { Kind: "Individual" })
  ).filter((m) => !m.deletionMark && m.Kind === "Individual");
  const collective = buildingIds.length
    ? (await ctx.query("catalog", "Meters", { Kind: "Collective", Building: buildingIds })).filter(
        (m) => !m.deletionMark,
      )
    : [];
  const types = new Map<string, MeterTypesCatalog>(
    (await ctx.query("catalog", "MeterTypes", {})).map((t) => [t.id, t]),
  );
  type Meter = LoadedMeter & { account: string | null; building: string | null };
  const loaded: Meter[] = [...individual, ...collective].map((m) => ({
    id: m.id,
    name: s(m.name || m.code),
    ReadingType: types.get(m.MeterType)?.ReadingType ?? null,
    DigitCapacity: types.get(m.MeterType)?.DigitCapacity?.toNumber() || null,
    service: m.Service,
    account: m.Account,
    building: m.Kind === "Collective" ? m.Building : null,
    current: null,
    previous: null,
    windowStart: null,
  }));
  if (loaded.length) await meterHistories(ctx, month, loaded, loaded.length <= PROBE_LIMIT);
  const readingsText = (list: Meter[]) =>
    list
      .filter((m) => m.current)
      .map((m) => `${m.name}: ${readingValue(m.current!.value).toFixed(4).replace(".", ",")}`)
      .join("; ");

  // the recalculation documents of the month, and the accruals of the months those found from days correct
  const recalcDocs = (await ctx.query("document", "Recalculation", wanted ? { Account: [...wanted][0] } : {})).filter(
    (d) => d.posted && !d.deletionMark && s(d.Month).slice(0, 7) === month.slice(0, 7),
  );
  const correctedOf = (d: (typeof recalcDocs)[number]) => monthStart(d.CorrectedPeriod ?? d.Month);
  const byDays = (d: (typeof recalcDocs)[number]) => d.ReasonKind === "TemporaryAbsence" || d.Amount == null;
  // the persons each temporary absence's corrected month was charged for (as Recalculation.ts divides)
  const residentsOf = new Map<string, Decimal>();
  for (const d of recalcDocs.filter((x) => x.ReasonKind === "TemporaryAbsence")) {
    const key = `${d.Account}|${correctedOf(d)}`;
    const [account] = residentsOf.has(key) ? [] : await ctx.query("catalog", "PersonalAccounts", { id: d.Account });
    if (account) residentsOf.set(key, await monthResidents(ctx, correctedOf(d), account));
  }
  const corrected = new Map<string, Map<string, AccrualLine[]>>();
  for (const m of new Set(recalcDocs.filter(byDays).map(correctedOf)))
    corrected.set(m, m === month ? lines : await accruals(ctx, m, monthEnd(m), wanted));

  const receipts = accounts.map(receiptOf);
  return { period: month, receipts };

  function receiptOf(a: AccountInfo) {
    const f = flows.get(a.id);
    const own = [...(lines.get(a.id) ?? [])].sort((x, y) => order(x.service, y.service));
    const mainOrg = a.building?.Organization ?? null;
    /** The payee of a service: its Payee, else the account's recipient (key ""). */
    const payeeKey = (service: string) => {
      const x = services.get(service)?.Payee ?? null;
      return x && x !== mainOrg ? x : "";
    };
    const groups = new Map<string, AccrualLine[]>([["", []]]);
    for (const l of own) {
      const k = payeeKey(l.service);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(l);
    }
    const pen = penalties.get(a.id) ?? ZERO;
    const payees = [...groups]
      .map(([key, list]) => payeeBlock(a, key, list, key === "" ? pen : ZERO))
      .filter((g, i) => i === 0 || g.rows.length > 0);
    const sum = (pick: (g: (typeof payees)[number]) => Decimal) => payees.reduce((x, g) => x.plus(pick(g)), ZERO);
    const executor = mainOrg ? orgs.get(mainOrg) : undefined;
    const recalcs = recalculations(a, own);
    return {
      account: {
        code: a.code,
        name: a.name,
        address: a.address,
        ownership: (a.row.OwnershipType && ownership.get(a.row.OwnershipType)) || "",
        totalArea: a.row.TotalArea,
        livingArea: a.row.LivingArea,
        residents: a.row.Residents,
      },
      executor: {
        ...a.recipient,
        address: s(executor?.Address),
        phone: s(executor?.Phone),
      },
      period: month,
      dueDate: dueDateOf(month, dueDay),
      payees,
      multiplePayees: payees.length > 1,
      opening: f?.opening ?? ZERO,
      paid: f?.paid ?? ZERO,
      accrued: sum((g) => g.accrued),
      benefits: sum((g) => g.benefits),
      recalculation: sum((g) => g.recalculation),
      linesToPay: sum((g) => g.linesToPay),
      toPay: f?.closing ?? ZERO,
      penalties: pen,
      toPayWithPenalties: sum((g) => g.toPayWithPenalties),
      reference: reference(a, own),
      recalculations: recalcs,
      recalculationsTotal: total(recalcs, (r) => r.amount),
    };
  }

  /** Section 2 and 3 of one payee: its requisites, sums, QR and service rows. */
  function payeeBlock(a: AccountInfo, key: string, list: AccrualLine[], pen: Decimal) {
    const recipient: Recipient = key === "" ? a.recipient : recipientOf(orgs.get(key));
    const rows = serviceRows43(a, list);
    const f = flows.get(a.id);
    let opening = ZERO,
      paid = ZERO,
      closing = ZERO;
    for (const [service, fl] of f?.services ?? []) {
      const k = service === "" ? "" : payeeKeyOf(a, service);
      if (k !== key) continue;
      opening = opening.plus(fl.opening);
      paid = paid.plus(fl.paid);
      closing = closing.plus(fl.closing);
    }
    const withPenalties = closing.plus(pen);
    return withQrImage({
      recipient,
      rows,
      opening,
      paid,
      accrued: total(rows, (r) => r.accrued),
      benefits: total(rows, (r) => r.benefits),
      recalculation: total(rows, (r) => r.recalculation),
      linesToPay: total(rows, (r) => r.toPay),
      toPay: closing,
      penalties: pen,
      hasPenalties: key === "",
      toPayWithPenalties: withPenalties,
      qr: gostPaymentString({
        name: recipient.name,
        personalAcc: recipient.bankAccount,
        bankName: recipient.bankName,
        bic: recipient.bik,
        correspAcc: recipient.corrAccount,
        payeeInn: recipient.inn,
        kpp: recipient.kpp,
        sum: Decimal.max(withPenalties, 0),
        persAcc: a.code,
        period: month,
      }),
    });
  }

  function payeeKeyOf(a: AccountInfo, service: string) {
    const x = services.get(service)?.Payee ?? null;
    return x && x !== (a.building?.Organization ?? null) ? x : "";
  }

  /** Section 3's rows: the individual lines, each СОИ line in its source service's row or its own. */
  function serviceRows43(a: AccountInfo, list: AccrualLine[]): ServiceRow[] {
    const rows: ServiceRow[] = [];
    const byService = new Map<string, ServiceRow>();
    const isCommon = (id: string) => COMMON.has(s(services.get(id)?.CalculationMethod));
    const blank = (l: AccrualLine): ServiceRow => {
      const svc = services.get(l.service);
      return {
        service: l.service,
        name: s(svc?.name) + requestsOf(a.id, l.service),
        unit: s(svc?.Unit),
        volume: null,
        commonVolume: null,
        tariff: rateOf(a.id, l.service),
        amount: ZERO,
        commonAmount: ZERO,
        accrued: ZERO,
        factor: null,
        factorExcess: null,
        recalculation: ZERO,
        benefits: ZERO,
        total: ZERO,
        commonTotal: ZERO,
        toPay: ZERO,
        common: null,
      };
    };
    const add = (row: ServiceRow, l: AccrualLine, common: boolean) => {
      if (common) {
        row.commonVolume = l.volume;
        row.commonAmount = row.commonAmount.plus(l.amount);
        row.commonTotal = row.commonTotal.plus(l.total);
        row.common = l.service;
      } else {
        row.volume = l.volume;
        row.amount = row.amount.plus(l.amount);
        row.total = row.total.plus(l.total);
        // the raising factor (Правила 354 п.42, 59а, 60) as the accrual applied it, and what it added
        if (l.factor.gt(0)) {
          row.factor = l.factor;
          row.factorExcess = l.factorExcess;
        }
      }
      row.accrued = row.accrued.plus(l.amount);
      row.recalculation = row.recalculation.plus(l.recalculation);
      row.benefits = row.benefits.plus(l.benefits);
      row.toPay = row.toPay.plus(l.total);
    };
    for (const l of list.filter((x) => !isCommon(x.service))) {
      const row = blank(l);
      add(row, l, false);
      rows.push(row);
      byService.set(l.service, row);
    }
    for (const l of list.filter((x) => isCommon(x.service))) {
      const sources = (services.get(l.service)?.SourceServices ?? []).map((r) => r.Service);
      const host = sources.map((x) => byService.get(x)).find((r) => r && r.common === null);
      if (host) add(host, l, true);
      else {
        const row = blank(l);
        add(row, l, true);
        rows.push(row);
      }
    }
    return rows;
  }

  /** Section 4: normatives, meter readings, the house's total volumes, per service of the account. */
  function reference(a: AccountInfo, own: AccrualLine[]) {
    const b = a.row.Building;
    const house = houseVolumes.get(b) ?? new Map<string, Decimal>();
    return own.map((l) => {
      const svc = services.get(l.service);
      const common = COMMON.has(s(svc?.CalculationMethod));
      const sources = (svc?.SourceServices ?? []).map((r) => r.Service);
      const mine = loaded.filter((m) => m.account === a.id && m.service === l.service);
      let houseMeters = loaded.filter((m) => m.building === b && m.service === l.service);
      if (!houseMeters.length && common)
        houseMeters = loaded.filter((m) => m.building === b && sources.includes(m.service));
      return {
        name: s(svc?.name),
        unit: s(svc?.Unit),
        normative: common ? null : (svc?.Normative ?? null),
        commonNormative: common ? (svc?.CommonPropertyNormative ?? null) : null,
        individualReadings: readingsText(mine),
        houseReadings: readingsText(houseMeters),
        premisesVolume: common ? null : (house.get(l.service) ?? null),
        commonVolume: common ? (house.get(l.service) ?? null) : null,
      };
    });
  }

  /**
   * Section 5: the month's recalculations of the account, every document with its reason and
   * amount, by service (receipt order) then date; they add up to the services' recalculations.
   */
  function recalculations(a: AccountInfo, own: AccrualLine[]) {
    const docs = recalcDocs.filter((d) => d.Account === a.id).sort((x, y) => order(x.Service, y.Service));
    const amounts = new Map<(typeof docs)[number], Decimal>();
    for (const service of new Set(docs.map((d) => d.Service))) {
      const mine = docs.filter((d) => d.Service === service);
      const computed = mine.filter(byDays);
      let typedSum = ZERO;
      for (const d of mine)
        if (!byDays(d)) {
          amounts.set(d, dec(d.Amount));
          typedSum = typedSum.plus(dec(d.Amount));
        }
      if (computed.length === 1) {
        // what the posting wrote: the service's recalculation of the month less the typed amounts
        const posted = own.find((l) => l.service === service)?.recalculation ?? ZERO;
        amounts.set(computed[0], posted.minus(typedSum));
      } else
        for (const d of computed) {
          const m = correctedOf(d);
          const accrued = (corrected.get(m)?.get(a.id) ?? [])
            .filter((l) => l.service === service)
            .reduce((x, l) => x.plus(l.amount), ZERO);
          const residents = residentsOf.get(`${a.id}|${m}`) ?? ZERO;
          const absent = d.PersonsAbsent ? dec(d.PersonsAbsent).toNumber() : 0;
          amounts.set(
            d,
            d.ReasonKind === "TemporaryAbsence" && residents.gt(0)
              ? daysAbsentAmount(accrued, dec(d.DaysAbsent), daysInMonth(m), { absent, residents })
              : daysAbsentAmount(accrued, dec(d.DaysAbsent), daysInMonth(m)),
          );
        }
    }
    return docs.map((d) => ({
      service: s(services.get(d.Service)?.name),
      reason: [d.ReasonKind ? reasonNames.get(d.ReasonKind) : "", s(d.Reason)].filter(Boolean).join(": "),
      correctedPeriod: d.CorrectedPeriod ?? d.Month,
      document: `${s(d.number)} от ${s(d.date).slice(0, 10)}`,
      amount: amounts.get(d) ?? ZERO,
    }));
  }
}
