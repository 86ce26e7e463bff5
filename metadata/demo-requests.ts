/**
 * The demo's service requests (docs/service-requests.md), loaded by initial-data.ts after
 * everything else: the service «Платные работы», two executors, the request types with their
 * norms (Правила 416 п.13, Правила 354 прил.1 п.4, Правила 290 п.22 / ПП 170 прил.2) and seven
 * requests of the seed's building in early December 2011, one per status:
 *  - Закрыта: a sewer blockage at кв.001, cleared in 1 h 40 min;
 *  - В работе: a leak at кв.003, the plumber on his way;
 *  - Принята: the lift, the electrician assigned;
 *  - Новая: no hot water at кв.002;
 *  - Выполнена: a paid plumber's visit at кв.004 (1 500,00 of works) waiting for the accountant to
 *    close it — closing and posting it charges the account («Платные работы» on December's
 *    receipt); left unclosed, it charges nothing, so the demo's totals stay as they were;
 *  - Отложена: a lamp in the stairwell, no lamps in stock;
 *  - Отклонена: a leak already fixed by the resident.
 * The transitions' moments are given (StartedAt, CompletedAt, ClosedAt), so the demo's history
 * reads as December 2011 and the reports give the same figures whenever it is loaded.
 */
import type { InitialDataContext, Row } from "../server/api.ts";

export const DEMO_REQUESTS = {
  paidService: { name: "Платные работы", Unit: "усл.", CalculationMethod: "Fixed" },
  executors: [
    { name: "Петров Иван Сергеевич", User: "petrov", Position: "Слесарь-сантехник", Phone: "+7 8142 00-00-01" },
    { name: "Сидоров Алексей Викторович", User: "sidorov", Position: "Электромонтер", Phone: "+7 8142 00-00-02" },
  ],
  /** name, category, time mode, response h, completion h, price, basis */
  types: [
    [
      "Протечка",
      "Emergency",
      "Calendar",
      "0.50",
      "24.00",
      null,
      "Правила 416 п.13: локализация аварии — не более 30 минут с регистрации заявки",
    ],
    [
      "Нет горячей воды",
      "Emergency",
      "Calendar",
      "0.50",
      "24.00",
      null,
      "Правила 354 прил.1 п.4: перерыв ГВС при аварии — не более 24 часов подряд",
    ],
    [
      "Не работает лифт",
      "Emergency",
      "Calendar",
      "0.50",
      "24.00",
      null,
      "Правила 290 п.22 (аварийное обслуживание лифта); ПП 170 прил.2 — 1 сутки",
    ],
    [
      "Засор канализации",
      "Emergency",
      "Calendar",
      "0.50",
      "2.00",
      null,
      "Правила 416 п.13: ликвидация засора внутридомовой системы водоотведения — не более 2 часов",
    ],
    [
      "Замена лампы в подъезде",
      "Planned",
      "Working",
      "8.00",
      "40.00",
      null,
      "Регламент управляющей организации: 5 рабочих дней",
    ],
    ["Платный вызов сантехника", "Paid", "Working", "8.00", "16.00", "800.00", "Прейскурант управляющей организации"],
  ] as const,
};

export async function loadServiceRequests(ctx: InitialDataContext, building: string, accounts: Row[]): Promise<void> {
  const d = DEMO_REQUESTS;
  const paid = (await ctx.create("catalog", "Services", d.paidService)).id as string;
  const executors: string[] = [];
  for (const e of d.executors) executors.push((await ctx.create("catalog", "Employees", e)).id as string);
  const types: Record<string, string> = {};
  for (const [name, Category, TimeMode, ResponseHours, CompletionHours, Price, Basis] of d.types)
    types[name] = (
      await ctx.create("catalog", "RequestTypes", {
        name,
        Category,
        TimeMode,
        ResponseHours,
        CompletionHours,
        Price,
        Basis,
        Service: Category === "Paid" ? paid : null,
      })
    ).id as string;
  const [plumber, electrician] = executors;
  const acc = (i: number) => accounts[i].id as string;
  const requests: [Row, string[], string?][] = [
    [
      {
        ReceivedAt: "2011-12-01T08:10:00",
        Source: "Phone",
        Account: acc(0),
        ContactName: "Калинин Вячеслав Петрович",
        ContactPhone: "+7 921 100-00-01",
        RequestType: types["Засор канализации"],
        Description: "Не уходит вода в ванной и на кухне",
        Executor: plumber,
        StartedAt: "2011-12-01T08:35:00",
        CompletedAt: "2011-12-01T09:50:00",
        ClosedAt: "2011-12-01T17:00:00",
        Result: "Прочищен стояк канализации между 1 и 2 этажами",
      },
      ["Accepted", "InWork", "Done", "Closed"],
    ],
    [
      {
        ReceivedAt: "2011-12-05T21:30:00",
        Source: "Phone",
        Account: acc(2),
        ContactName: "Симак Галина Владимировна",
        ContactPhone: "+7 921 100-00-03",
        RequestType: types["Протечка"],
        Description: "Течет с потолка в ванной",
        Executor: plumber,
        StartedAt: "2011-12-05T21:55:00",
      },
      ["Accepted", "InWork"],
    ],
    [
      {
        ReceivedAt: "2011-12-06T07:45:00",
        Source: "Portal",
        Building: building,
        ContactName: "Ржига Игорь Сергеевич",
        ContactPhone: "+7 921 100-00-02",
        RequestType: types["Не работает лифт"],
        Description: "Лифт стоит на 5 этаже, не реагирует на вызов",
        Executor: electrician,
      },
      ["Accepted"],
    ],
    [
      {
        ReceivedAt: "2011-12-07T09:15:00",
        Source: "Email",
        Account: acc(1),
        ContactName: "Ржига Игорь Сергеевич",
        RequestType: types["Нет горячей воды"],
        Description: "С утра нет горячей воды",
      },
      [],
    ],
    [
      {
        ReceivedAt: "2011-12-02T10:00:00",
        Source: "InPerson",
        Account: acc(3),
        ContactName: "Иванова Лидия Константиновна",
        ContactPhone: "+7 921 100-00-04",
        RequestType: types["Платный вызов сантехника"],
        Description: "Заменить смеситель на кухне",
        PlannedVisit: "2011-12-05T09:30:00",
        Executor: plumber,
        Works: [
          { Work: "Замена смесителя", Unit: "шт", Quantity: 1, Price: "1200.00" },
          { Work: "Гибкая подводка", Unit: "шт", Quantity: 2, Price: "150.00" },
        ],
        StartedAt: "2011-12-05T09:30:00",
        CompletedAt: "2011-12-05T11:00:00",
        Result: "Смеситель заменен, подводка заменена",
      },
      ["Accepted", "InWork", "Done"],
    ],
    [
      {
        ReceivedAt: "2011-12-02T15:20:00",
        Source: "Portal",
        Building: building,
        RequestType: types["Замена лампы в подъезде"],
        Description: "Не горит свет на лестнице 3 этажа",
      },
      ["Postponed"],
      "Нет ламп на складе, поставка 12.12.2011",
    ],
    [
      {
        ReceivedAt: "2011-12-03T12:00:00",
        Source: "Phone",
        Account: acc(4),
        RequestType: types["Протечка"],
        Description: "Капает из-под раковины",
        RejectReason: "Житель устранил протечку сам до приезда сантехника, повторный вызов не нужен",
      },
      ["Rejected"],
    ],
  ];
  for (const [body, path, comment] of requests) {
    const r = await ctx.create("document", "ServiceRequest", { date: body.ReceivedAt, ...body }, { post: true });
    for (const status of path) await ctx.transition("ServiceRequest", r.id as string, status, comment);
  }
}
