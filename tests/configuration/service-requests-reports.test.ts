// The service-request reports (docs/service-requests.md) on a set of nine requests whose figures
// are counted by hand below (the CSV writes hours as quantities: 230, 0,5, 2,25), rendered through the HTTP API as HTML, PDF and CSV; and a closed paid
// request's charge on the account's receipt with the request's number (issue 17 §2–3).
// Dates: 02.12.2011 is a Friday, 03–04.12 the weekend, 05.12 a Monday.
//  R1 Засор канализации, кв.001, 02.12 23:45 → started 03.12 00:05 (0,3333 h), done 01:15 (1,5 h; deadline 01:45) — Закрыта, Петров
//  R2 Засор канализации, кв.002, 05.12 10:00 → started 10:45 (0,75 h; late: 10:30), done 13:00 (3 h; late: 12:00) — Выполнена, Петров
//  R3 Протечка, кв.003, 06.12 08:00 → started 08:30 (0,5 h; on time), not done (deadline 07.12 08:00) — В работе, Петров
//  R4 Не работает лифт, кв.004, 09.12 20:00, not taken (deadline 10.12 20:00) — Новая, Сидоров
//  R5 Замена лампы (working time), building, 02.12 16:00 → started 05.12 09:00 (65 h; response deadline 05.12 15:00),
//     done 07.12 16:00 (120 h; deadline 09.12 11:00) — Закрыта, Сидоров
//  R6 Платный вызов сантехника, кв.002, 05.12 09:00 → started 11:00 (2 h), done 12:30 (3,5 h; deadline 06.12 17:00), closed 06.12 — Закрыта, Петров; 800,00
//  R7 Протечка, кв.005, 07.12 12:00 — Отклонена, no executor
//  R8 Замена лампы, building, 08.12 10:00 — Отложена, no executor (deadline 14.12 14:00)
//  R9 Протечка, кв.001, 30.11 10:00 (before the period) — Новая (deadline 01.12 10:00)
import { expect } from "chai";
import type { Server } from "node:http";
import type { Platform } from "../../server/platform.ts";
import { closePrinter } from "../../server/reports/pdf.ts";
import { serve } from "../platform/api-client.ts";
import { csvRows, pdfText } from "../reports/helpers.ts";
import { openZhkh, post, seedCatalogs, type Row, type Seed } from "./documents-fixtures.ts";
import { moveAll, request, seedRequestCatalogs, type RequestSeed } from "./service-requests-fixtures.ts";

describe("configuration: service request reports (issue 17 §3)", function () {
  let p: Platform;
  let s: Seed;
  let r: RequestSeed;
  let server: Server;
  let base: string;
  const n: Record<string, string> = {};
  const render = async (name: string, params: unknown, format = "html") => {
    const res = await fetch(`${base}/api/reports/${name}/render?format=${format}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, text: Buffer.from(bytes).toString("utf8"), bytes };
  };
  const csv = async (name: string, params: unknown) => {
    const res = await render(name, params, "csv");
    expect(res.status, res.text).to.equal(200);
    return csvRows(res.text);
  };

  before(async () => {
    p = await openZhkh("zreqrep");
    s = await seedCatalogs(p);
    r = await seedRequestCatalogs(p);
    const { plumber, electrician } = r.executors;
    const make = async (key: string, body: Row, path: string[]) => {
      const d = await request(p, body);
      n[key] = d.number;
      await moveAll(p, d.id, path);
      return d;
    };
    const done = ["Accepted", "InWork", "Done"];
    await make(
      "R1",
      {
        ReceivedAt: "2011-12-02T23:45:00",
        Account: s.accounts[0],
        RequestType: r.types.sewer,
        Executor: plumber,
        Result: "Засор устранен",
        StartedAt: "2011-12-03T00:05:00",
        CompletedAt: "2011-12-03T01:15:00",
        ClosedAt: "2011-12-03T09:00:00",
      },
      [...done, "Closed"],
    );
    await make(
      "R2",
      {
        ReceivedAt: "2011-12-05T10:00:00",
        Account: s.accounts[1],
        RequestType: r.types.sewer,
        Executor: plumber,
        Result: "Засор устранен",
        StartedAt: "2011-12-05T10:45:00",
        CompletedAt: "2011-12-05T13:00:00",
      },
      done,
    );
    await make(
      "R3",
      {
        ReceivedAt: "2011-12-06T08:00:00",
        Account: s.accounts[2],
        RequestType: r.types.leak,
        Executor: plumber,
        StartedAt: "2011-12-06T08:30:00",
        ContactName: "Симак Г. В.",
        ContactPhone: "+7 921 000-00-03",
      },
      ["Accepted", "InWork"],
    );
    await make(
      "R4",
      { ReceivedAt: "2011-12-09T20:00:00", Account: s.accounts[3], RequestType: r.types.lift, Executor: electrician },
      [],
    );
    await make(
      "R5",
      {
        ReceivedAt: "2011-12-02T16:00:00",
        Building: s.building,
        RequestType: r.types.planned,
        Executor: electrician,
        Result: "Лампа заменена",
        StartedAt: "2011-12-05T09:00:00",
        CompletedAt: "2011-12-07T16:00:00",
        ClosedAt: "2011-12-08T09:00:00",
      },
      [...done, "Closed"],
    );
    const r6 = await make(
      "R6",
      {
        ReceivedAt: "2011-12-05T09:00:00",
        Account: s.accounts[1],
        RequestType: r.types.paid,
        Executor: plumber,
        Result: "Прочищен сифон",
        StartedAt: "2011-12-05T11:00:00",
        CompletedAt: "2011-12-05T12:30:00",
        ClosedAt: "2011-12-06T09:00:00",
      },
      [...done, "Closed"],
    );
    await post(p, "ServiceRequest", r6.id); // the charge: posted with its closed status
    await make(
      "R7",
      {
        ReceivedAt: "2011-12-07T12:00:00",
        Account: s.accounts[4],
        RequestType: r.types.leak,
        RejectReason: "Дубль заявки",
      },
      ["Rejected"],
    );
    await make("R8", { ReceivedAt: "2011-12-08T10:00:00", Building: s.building, RequestType: r.types.planned }, [
      "Postponed",
    ]);
    await make("R9", { ReceivedAt: "2011-11-30T10:00:00", Account: s.accounts[0], RequestType: r.types.leak }, []);
    const served = await serve(p);
    server = served.server;
    base = served.base;
  });
  after(async () => {
    await closePrinter();
    server?.closeAllConnections();
    server?.close();
    await p?.close();
  });

  it("every report renders as HTML, PDF and CSV", async () => {
    const cases: [string, unknown, string][] = [
      ["service-requests", { from: "2011-12-01", to: "2011-12-11" }, "Заявки по видам, статусам и исполнителям"],
      ["service-requests-overdue", { date: "2011-12-10" }, "Просроченные заявки"],
      ["service-requests-times", { from: "2011-12-01", to: "2011-12-11" }, "Время реагирования и выполнения заявок"],
    ];
    for (const [name, params, title] of cases) {
      const html = await render(name, params);
      expect(html.status, html.text).to.equal(200);
      expect(html.text).to.include(title);
      const pdf = await render(name, params, "pdf");
      expect(pdf.status, name).to.equal(200);
      expect((await pdfText(pdf.bytes)).text, name).to.include(title);
      expect((await render(name, params, "csv")).status, name).to.equal(200);
    }
  });

  it("by type, status and executor: 1–11.12.2011, overdue at 12.12 00:00", async () => {
    const rows = await csv("service-requests", { from: "2011-12-01", to: "2011-12-11" });
    const line = (x: Record<string, string>) =>
      [
        x.Раздел,
        x.Наименование,
        x.Новая,
        x.Принята,
        x["В работе"],
        x.Выполнена,
        x.Закрыта,
        x.Отложена,
        x.Отклонена,
        x.Всего,
        x.Просрочено,
      ].join(" | ");
    expect(rows.map(line)).to.deep.equal([
      // R5 closed, R8 postponed; neither overdue
      "Вид заявки | Замена лампы в подъезде | 0 | 0 | 0 | 0 | 1 | 1 | 0 | 2 | 0",
      // R1 closed in time, R2 done 13:00 after its 12:00 deadline
      "Вид заявки | Засор канализации | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 2 | 1",
      // R4 new, deadline 10.12 20:00 passed
      "Вид заявки | Не работает лифт | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1",
      "Вид заявки | Платный вызов сантехника | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0",
      // R3 in work past 07.12 08:00; R7 rejected (never overdue); R9 received before the period
      "Вид заявки | Протечка | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 2 | 1",
      "Исполнитель | Не назначен | 0 | 0 | 0 | 0 | 0 | 1 | 1 | 2 | 0",
      "Исполнитель | Сантехник Петров | 0 | 0 | 1 | 1 | 2 | 0 | 0 | 4 | 2",
      "Исполнитель | Электрик Сидоров | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 2 | 1",
      "Итого | Всего заявок | 1 | 0 | 1 | 1 | 3 | 1 | 1 | 8 | 3",
    ]);
    // one building's requests only: all nine are of the seed's building; the second building has none
    const none = await csv("service-requests", { from: "2011-12-01", to: "2011-12-11", building: s.building2 });
    expect(none.map((x) => `${x.Раздел}|${x.Всего}`)).to.deep.equal(["Итого|0"]);
  });

  it("overdue on 10.12.2011 (at 11.12 00:00): R9 230 h, R3 88 h, R4 4 h, the longest first", async () => {
    const rows = await csv("service-requests-overdue", { date: "2011-12-10" });
    // R9: 01.12 10:00 → 11.12 00:00 = 9 days 14 h; R3: 07.12 08:00 → 11.12 00:00 = 3 days 16 h; R4: 10.12 20:00 → 4 h
    expect(rows.map((x) => [x.Номер, x["Просрочка (часов)"], x.Статус])).to.deep.equal([
      [n.R9, "230", "Новая"],
      [n.R3, "88", "В работе"],
      [n.R4, "4", "Новая"],
    ]);
    expect(rows[1]).to.include({
      "Вид заявки": "Протечка",
      Контакт: "Симак Г. В., +7 921 000-00-03",
      Исполнитель: "Сантехник Петров",
      "Срок выполнения": "07.12.2011 08:00",
      Поступила: "06.12.2011 08:00",
    });
    const sidorov = await csv("service-requests-overdue", { date: "2011-12-10", executor: r.executors.electrician });
    expect(sidorov.map((x) => x.Номер)).to.deep.equal([n.R4]);
    // on 06.12 (at 07.12 00:00): R2 was done on 05.12, R3's deadline is still ahead, R4 not received: only R9, 5 days 14 h
    const early = await csv("service-requests-overdue", { date: "2011-12-06" });
    expect(early.map((x) => [x.Номер, x["Просрочка (часов)"]])).to.deep.equal([[n.R9, "134"]]);
  });

  it("average times by type: 1–11.12.2011, rejected left out", async () => {
    const rows = await csv("service-requests-times", { from: "2011-12-01", to: "2011-12-11" });
    const line = (x: Record<string, string>) =>
      [
        x["Вид заявки"],
        x.Поступило,
        x["Взято в работу"],
        x["Среднее время реагирования (ч)"],
        x["Норматив реагирования (ч)"],
        x["Реагирование с опозданием"],
        x.Выполнено,
        x["Среднее время выполнения (ч)"],
        x["Норматив выполнения (ч)"],
        x["Выполнено с опозданием"],
      ].join(" | ");
    expect(rows.map(line)).to.deep.equal([
      // R5: 65 h to start, 120 h to complete; R8 not started
      "Замена лампы в подъезде | 2 | 1 | 65 | 8 | 0 | 1 | 120 | 40 | 0",
      // R1 0,3333 and R2 0,75 → 0,5417 → 0,54 (R2 late); R1 1,5 and R2 3 → 2,25 (R2 late)
      "Засор канализации | 2 | 2 | 0,54 | 0,5 | 1 | 2 | 2,25 | 2 | 1",
      "Не работает лифт | 1 | 0 |  | 0,5 | 0 | 0 |  | 24 | 0",
      "Платный вызов сантехника | 1 | 1 | 2 | 8 | 0 | 1 | 3,5 | 16 | 0",
      // R3 taken exactly at its 08:30 response deadline: not late; R7 rejected, left out
      "Протечка | 1 | 1 | 0,5 | 0,5 | 0 | 0 |  | 24 | 0",
    ]);
    const html = await render("service-requests-times", { from: "2011-12-01", to: "2011-12-11" });
    // totals: (65 + 0,3333 + 0,75 + 2 + 0,5) / 5 = 13,7167 → 13,72; (120 + 1,5 + 3 + 3,5) / 4 = 32,00
    expect(html.text).to.match(
      /Итого<\/td><td class="num">7<\/td><td class="num">5<\/td><td class="num">13,72<\/td><td><\/td><td class="num">1<\/td><td class="num">4<\/td><td class="num">32,00<\/td>/,
    );
  });

  it("a closed paid request's charge reaches the account's receipts (and the 43/пр form) for December 2011, with the request's number", async () => {
    const [row] = await csv("receipt", { period: "2011-12", account: s.accounts[1] });
    expect(row).to.include({ "Лицевой счет": "00000000002", Начислено: "800,00", "Итого к оплате": "800,00" });
    const html = await render("receipt", { period: "2011-12", account: s.accounts[1] });
    expect(html.text).to.include(`Платные работы (заявка №${n.R6})`);
    // the 43/пр payment document names it too (section 3)
    const pr43 = await render("receipt-43pr", { period: "2011-12", account: s.accounts[1] });
    expect(pr43.status, pr43.text).to.equal(200);
    expect(pr43.text).to.include(`Платные работы (заявка №${n.R6})`);
    // the free requests of the month charge nothing: account 00000000001 has no December line
    const [first] = await csv("receipt", { period: "2011-12", account: s.accounts[0] });
    expect(first.Начислено).to.equal("0,00");
  });
});
