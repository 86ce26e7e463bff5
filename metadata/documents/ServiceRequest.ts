// Заявка (docs/service-requests.md): a resident's request taken by the dispatcher.
// Записать (beforeWrite) fills what is computed, never typed:
//  - ReceivedAt: the document's date when empty; Status: New when empty;
//  - the address: Building and Apartment from the account; or the account from the building and
//    apartment when exactly one open account has them; neither an account nor a building: refused;
//  - ResponseDeadline and Deadline from the type's hours and ReceivedAt
//    (metadata/common/request-deadline.ts: calendar hours for emergencies, working time for planned
//    and paid works, skipping the holidays of the production calendar, register Holidays);
//  - Priority: High for an emergency, else Normal, when empty;
//  - each work's Sum = Quantity × Price (half up to kopecks) when the price is given; Amount (what
//    a paid request charges) = Σ Sum of the works, or the type's price when none has a sum; empty
//    for other categories;
//  - the fields a status needs (the workflow's `require`, checked here too for direct writes): an
//    executor from InWork on, a result from Done on, a reason for Rejected.
// A transition (onTransition, the platform's workflow) stamps StartedAt (→ InWork), CompletedAt
// (→ Done) and ClosedAt (→ Closed) with its moment when empty (a moment given on import or in the
// demo stays), and refuses to close a paid request without an
// account, a sum or the type's service.
// Провести: a Closed paid request charges its account — one Accruals line of the type's service
// (Amount, method Fixed, the explanation naming the request's number) and one Settlements receipt,
// both in the month it was closed (period = that month's first day, DebtPeriod = that month), so
// the month's receipt shows it. Any other request posts nothing.
import { Decimal } from "decimal.js";
import { formatDate, monthStart } from "../../server/api.ts";
import { round2 } from "../common/money.ts";
import { requestDeadlines } from "../common/request-deadline.ts";
import { dayCalendarOf } from "../common/production-calendar.ts";
import { defineDocument, type RequestStatuses, type RequestTypesCatalog } from "../types.gen.ts";
import { postAccrualEntries } from "../common/bookkeeping.ts";

/** Statuses from which the request has been taken into work (an executor is required). */
const WORKED: readonly RequestStatuses[] = ["InWork", "Done", "Closed"];
/** Statuses from which the work is done (a result is required). */
const DONE: readonly RequestStatuses[] = ["Done", "Closed"];

const who = (d: { number?: string | null }) => (d.number ? `Заявка №${d.number}` : "Заявка");

export default defineDocument("ServiceRequest", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    d.ReceivedAt ||= d.date;
    if (d.Account) {
      const [account] = await ctx.query("catalog", "PersonalAccounts", { id: d.Account }, 1);
      if (account) {
        d.Building = account.Building;
        d.Apartment ||= account.Apartment;
      }
    } else if (d.Building && d.Apartment) {
      const open = (
        await ctx.query("catalog", "PersonalAccounts", { Building: d.Building, Apartment: d.Apartment })
      ).filter((a) => !a.deletionMark && !a.Closed);
      if (open.length === 1) d.Account = open[0].id;
    }
    if (!d.Account && !d.Building)
      throw ctx.error(`${who(d)}: укажите лицевой счет или здание (и квартиру), откуда поступила заявка`, {
        field: "Account",
      });

    let type: RequestTypesCatalog | undefined;
    if (d.RequestType) [type] = await ctx.query("catalog", "RequestTypes", { id: d.RequestType }, 1);
    if (type) {
      // working time skips the production calendar's holidays (register Holidays)
      const calendar = type.TimeMode === "Working" ? dayCalendarOf(await ctx.info.Holidays.sliceLast()) : undefined;
      const { response, completion } = requestDeadlines(d.ReceivedAt, type, calendar);
      d.ResponseDeadline = response;
      d.Deadline = completion;
      d.Priority ||= type.Category === "Emergency" ? "High" : "Normal";
    } else {
      d.ResponseDeadline = null;
      d.Deadline = null;
    }

    for (const row of d.Works)
      if (row.Price != null && row.Quantity != null) row.Sum = round2(row.Quantity.times(row.Price));
    if (type?.Category === "Paid") {
      const sums = d.Works.filter((r) => r.Sum != null);
      d.Amount = sums.length ? sums.reduce((s, r) => s.plus(r.Sum as Decimal), new Decimal(0)) : type.Price;
    } else d.Amount = null;

    const status: RequestStatuses = d.Status ?? "New";
    if (WORKED.includes(status) && !d.Executor)
      throw ctx.error(`${who(d)}: чтобы взять заявку в работу, укажите исполнителя`, { field: "Executor" });
    if (DONE.includes(status) && !d.Result?.trim())
      throw ctx.error(`${who(d)}: чтобы отметить заявку выполненной, заполните результат`, { field: "Result" });
    if (status === "Rejected" && !d.RejectReason?.trim())
      throw ctx.error(`${who(d)}: чтобы отклонить заявку, укажите причину отклонения`, { field: "RejectReason" });
  },

  async onTransition(ctx) {
    const d = ctx.doc;
    if (ctx.to === "InWork") d.StartedAt ||= ctx.at;
    if (ctx.to === "Done") {
      d.StartedAt ||= ctx.at;
      d.CompletedAt ||= ctx.at;
    }
    if (ctx.to === "Closed") {
      d.CompletedAt ||= ctx.at;
      d.ClosedAt ||= ctx.at;
      const [type] = await ctx.query("catalog", "RequestTypes", { id: d.RequestType }, 1);
      if (type?.Category === "Paid") {
        if (!d.Account)
          throw ctx.error(`${who(d)}: платную заявку можно закрыть, только указав лицевой счет для начисления`, {
            field: "Account",
          });
        if (!d.Amount?.gt(0))
          throw ctx.error(
            `${who(d)}: у платной заявки нет суммы к оплате — заполните работы с ценами или цену вида заявки «${type.name}»`,
            { field: "Works" },
          );
        if (!type.Service)
          throw ctx.error(
            `${who(d)}: у вида заявки «${type.name}» не указана услуга для начисления — заполните ее в справочнике «Виды заявок»`,
            { field: "RequestType" },
          );
      }
    }
  },

  async post(ctx) {
    const d = ctx.doc;
    if (d.Status !== "Closed") return;
    const [type] = await ctx.query("catalog", "RequestTypes", { id: d.RequestType }, 1);
    if (type?.Category !== "Paid") return;
    if (!d.Account || !type.Service || !d.Amount?.gt(0) || !d.ClosedAt)
      throw ctx.error(
        `${who(d)}: платная заявка закрыта без лицевого счета, суммы, даты закрытия или услуги вида заявки — начислить нельзя`,
        { field: !d.Account ? "Account" : "Amount" },
      );
    const month = monthStart(d.ClosedAt.slice(0, 10));
    const works = d.Works.map((r) => r.Work).join(", ");
    const explanation = `Платные работы по заявке №${d.number} от ${formatDate(d.ReceivedAt, "dd.MM.yyyy")} (${type.name})${works ? `: ${works}` : ""}`;
    ctx.movements.Accruals.add({
      period: `${month}T00:00:00`,
      Account: d.Account,
      Service: type.Service,
      Volume: 0,
      Amount: d.Amount.toFixed(2),
      Benefits: 0,
      Recalculation: 0,
      Method: "Fixed",
      Explanation: [...explanation].slice(0, 500).join(""),
    });
    ctx.movements.Settlements.add({
      period: `${month}T00:00:00`,
      kind: "receipt",
      Account: d.Account,
      Service: type.Service,
      DebtPeriod: month,
      Amount: d.Amount.toFixed(2),
    });
    // Entries (common/bookkeeping.ts): Дт 62.01 Кт 90.01 by the accounting policy
    await postAccrualEntries(ctx, {
      at: String(d.date),
      accounts: [d.Account],
      accruals: ctx.movements.Accruals.rows,
      label: `(заявка №${d.number})`,
    });
  },
});
