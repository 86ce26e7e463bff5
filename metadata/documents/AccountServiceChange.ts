// Изменение услуг лицевых счетов.
// Posting: each row sets, from its ChangeDate on, the service's tariff kind and status
// (Подключена / Отключена) for the account in the AccountServices information register.
// A row repeating an (account, service, date) of an earlier row is refused, naming the row.
// Posted GroupAccruals of the change's month or later covering the account are marked as needing
// recalculation (accrual-changes.ts).
// Fill (Заполнить, needs the header's Account): every service of the catalog with the account's
// state as of the document's date — a service connected (or disconnected) before keeps its
// tariff kind and status; a service the account never had is proposed as Отключена with the
// first tariff kind (by code) that has a rate for the service, else the first tariff kind.
// Every proposed row changes on the document's date.
import { today } from "../../server/api.ts";
import { defineDocument } from "../types.gen.ts";
import { documentTitle, markAccrualChanges } from "./accrual-changes.ts";

const ddmmyyyy = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

export default defineDocument("AccountServiceChange", {
  async post(ctx) {
    const seen = new Map<string, number>();
    ctx.doc.Services.forEach((r, i) => {
      const key = `${r.Account}|${r.Service}|${r.ChangeDate}`;
      const earlier = seen.get(key);
      if (earlier)
        throw ctx.error(
          `Строка ${i + 1}: эта услуга лицевого счета на ${ddmmyyyy(r.ChangeDate)} уже изменена в строке ${earlier}`,
          {
            table: "Services",
            line: i + 1,
            field: "Service",
          },
        );
      seen.set(key, i + 1);
      ctx.movements.AccountServices.add({
        period: r.ChangeDate,
        Account: r.Account,
        Service: r.Service,
        TariffKind: r.TariffKind,
        Status: r.Status,
      });
    });
    // Posted accruals of the change's month or later that cover the account are marked.
    const names = new Map<string, string>();
    const rows = ctx.doc.Services;
    await markAccrualChanges(
      ctx,
      ctx.movements.AccrualChanges,
      `AccountServiceChange ${ctx.doc.id}`,
      documentTitle("Изменение услуг лицевых счетов", ctx.doc),
      rows.map((r) => ({
        from: r.ChangeDate,
        account: r.Account,
        what: () =>
          `л/с ${names.get(r.Account) ?? "?"}: «${names.get(r.Service) ?? "?"}» — ${r.Status === "Connected" ? "подключена" : "отключена"} с ${ddmmyyyy(r.ChangeDate)}`,
      })),
      async () => {
        for (const s of await ctx.query("catalog", "Services", { id: rows.map((r) => r.Service) }))
          names.set(s.id, s.name);
        for (const a of await ctx.query("catalog", "PersonalAccounts", { id: rows.map((r) => r.Account) }))
          names.set(a.id, a.code);
      },
    );
  },

  fill: {
    async Services(ctx) {
      const account = ctx.doc.Account;
      if (!account) throw ctx.error("Выберите лицевой счет, услуги которого заполнить", { field: "Account" });
      const day = String(ctx.doc.date ?? today()).slice(0, 10);
      const services = (await ctx.query("catalog", "Services")).filter((s) => !s.deletionMark);
      const kinds = (await ctx.query("catalog", "TariffKinds")).filter((k) => !k.deletionMark);
      if (kinds.length === 0)
        throw ctx.error("Справочник «Виды тарифов» пуст: заполните его", { table: "Services", field: "TariffKind" });
      const state = new Map(
        (await ctx.info.AccountServices.sliceLast(day, { Account: account })).map((r) => [r.Service, r]),
      );
      const tariffs = await ctx.info.Tariffs.sliceLast(day);
      const kindOrder = new Map(kinds.map((k, i) => [k.id, i]));
      const firstKindWithRate = (service: string) =>
        tariffs
          .flatMap((t) => {
            const order = t.Service === service && t.TariffKind !== null ? kindOrder.get(t.TariffKind) : undefined;
            return order === undefined ? [] : [{ kind: t.TariffKind, order }];
          })
          .sort((a, b) => a.order - b.order)[0]?.kind;
      return services.map((s) => {
        const now = state.get(s.id);
        return {
          Account: account,
          Service: s.id,
          TariffKind: now?.TariffKind ?? firstKindWithRate(s.id) ?? kinds[0].id,
          ChangeDate: day,
          Status: now?.Status ?? "Disconnected",
        };
      });
    },
  },
});
