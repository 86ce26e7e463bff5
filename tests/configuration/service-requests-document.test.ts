// The document «Заявка» (ServiceRequest; docs/service-requests.md): what Записать computes
// (address from the account, the account from the address, deadlines from the type — calendar
// hours for emergencies, working time for planned and paid works —, priority, the works' sums and
// the paid amount), the workflow's transitions and their refusals, the moments the transitions
// stamp, and a closed paid request's charge in Accruals and Settlements. Dates: 02.12.2011 is a
// Friday, 03–04.12.2011 the weekend.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { getDoc, item, movements, openZhkh, type Row, rejects, type Seed, seedCatalogs } from "./documents-fixtures.ts";
import {
  move,
  moveAll,
  type RequestSeed,
  request,
  seedRequestCatalogs,
  updateRequest,
} from "./service-requests-fixtures.ts";

/** The error a promise is refused with (a catalog's check throws the module's UserError). */
async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a refusal");
}

describe("configuration: the service request document (issue 17 §2)", function () {
  let p: Platform;
  let s: Seed;
  let r: RequestSeed;
  before(async () => {
    p = await openZhkh("zreq");
    s = await seedCatalogs(p);
    r = await seedRequestCatalogs(p);
  });
  after(() => p?.close());

  describe("Записать", () => {
    it("an emergency from an account: the building and apartment from the account, deadlines in calendar hours, high priority", async () => {
      const d = await request(p, {
        date: "2011-12-02T23:45:00",
        ReceivedAt: "2011-12-02T23:45:00",
        Account: s.accounts[0],
        RequestType: r.types.sewer,
        Description: "Засор стояка",
        Deadline: "2030-01-01T00:00:00", // typed: ignored, the deadline is computed
      });
      expect(d).to.include({
        Status: "New",
        Building: s.building,
        Apartment: "001",
        Priority: "High",
        ResponseDeadline: "2011-12-03T00:15:00", // 23:45 + 30 min (Правила 416 п.13), past midnight
        Deadline: "2011-12-03T01:45:00", // 23:45 + 2 h
        Amount: null,
      });
    });

    it("planned works received on Friday afternoon: the deadlines skip the weekend (working time Mon–Fri 08–17)", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-02T16:00:00",
        Building: s.building,
        RequestType: r.types.planned,
        Description: "Не горит лампа на 3 этаже",
      });
      // response: 1 h on Friday + 7 h on Monday 05.12 = 15:00; completion 40 h: 1 + Mon 9 + Tue 9 + Wed 9 + Thu 9 = 37, + 3 h Friday 09.12 = 11:00
      expect([d.ResponseDeadline, d.Deadline, d.Priority, d.Account]).to.deep.equal([
        "2011-12-05T15:00:00",
        "2011-12-09T11:00:00",
        "Normal",
        null,
      ]);
    });

    it("the account is found from the building and apartment; neither an account nor a building is refused", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T10:00:00",
        Building: s.building,
        Apartment: "003",
        RequestType: r.types.leak,
      });
      expect(d.Account).to.equal(s.accounts[2]);
      const e = await rejects(request(p, { ReceivedAt: "2011-12-05T10:00:00", RequestType: r.types.leak }));
      expect(e.message).to.match(/укажите лицевой счет или здание/);
      expect(e.field).to.equal("Account");
    });

    it("a paid request: each work's sum is quantity × price, the amount their total; without works the type's price", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T09:00:00",
        Account: s.accounts[1],
        RequestType: r.types.paid,
        Works: [
          { Work: "Замена смесителя", Quantity: 1, Price: "1200.00" },
          { Work: "Гибкая подводка", Unit: "шт", Quantity: 2, Price: "150.25" },
        ],
      });
      expect(d.Works.map((w: Row) => w.Sum)).to.deep.equal(["1200.00", "300.50"]);
      expect(d.Amount).to.equal("1500.50");
      const bare = await request(p, {
        ReceivedAt: "2011-12-05T09:00:00",
        Account: s.accounts[1],
        RequestType: r.types.paid,
      });
      expect(bare.Amount).to.equal("800.00");
    });

    it("a paid request type needs the service its charge goes to", async () => {
      const e = await refusal(
        item(p, "RequestTypes", { name: "Платная без услуги", Category: "Paid", TimeMode: "Working" }),
      );
      expect(e.message).to.match(/укажите услугу для начисления/);
    });
  });

  describe("the workflow", () => {
    it("New → Accepted → InWork (executor required) → Done (result required) → Closed, each transition stamping its moment once", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T10:00:00",
        Account: s.accounts[0],
        RequestType: r.types.leak,
      });
      expect((await rejects(move(p, d.id, "InWork"))).status).to.equal(409); // New → InWork is not declared
      await move(p, d.id, "Accepted");
      const noExecutor = await rejects(move(p, d.id, "InWork"));
      expect([noExecutor.status, noExecutor.field]).to.deep.equal([422, "Executor"]);
      expect(noExecutor.message).to.match(/заполните поле «Исполнитель»/);
      await updateRequest(p, d.id, { Executor: r.executors.plumber });
      const inWork = await move(p, d.id, "InWork");
      expect(inWork.Status).to.equal("InWork");
      expect(inWork.StartedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      const noResult = await rejects(move(p, d.id, "Done"));
      expect([noResult.status, noResult.field]).to.deep.equal([422, "Result"]);
      await updateRequest(p, d.id, { Result: "Перекрыт стояк, заменен участок трубы" });
      const done = await move(p, d.id, "Done");
      expect(done.CompletedAt).to.match(/^\d{4}-/);
      expect(done.StartedAt).to.equal(inWork.StartedAt);
      const closed = await move(p, d.id, "Closed");
      expect(closed.ClosedAt).to.match(/^\d{4}-/);
      const final = await rejects(move(p, d.id, "Accepted"));
      expect([final.status, final.code]).to.deep.equal([409, "final_status"]);
      // closing posts the request (post: true); a free one writes nothing
      expect((await getDoc(p, "ServiceRequest", d.id)).posted).to.equal(true);
      expect(await movements(p, "ServiceRequest", d.id, "Accruals")).to.deep.equal([]);
    });

    it("the status changes only by a transition: a write naming another status is refused", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T10:00:00",
        Account: s.accounts[0],
        RequestType: r.types.leak,
      });
      const e = await rejects(
        updateRequest(p, d.id, { Status: "Done", Executor: r.executors.plumber, Result: "Сделано" }),
      );
      expect(e.message).to.match(/меняется только переходом статуса/);
    });

    it("Postponed needs a comment and returns to Accepted or InWork; Rejected needs a reason and is final", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T10:00:00",
        Account: s.accounts[0],
        RequestType: r.types.lift,
      });
      expect((await rejects(move(p, d.id, "Postponed"))).field).to.equal("comment");
      await move(p, d.id, "Postponed", "Нет доступа в машинное помещение");
      expect((await move(p, d.id, "Accepted")).Status).to.equal("Accepted");
      const e = await rejects(move(p, d.id, "Rejected"));
      expect([e.status, e.field]).to.deep.equal([422, "RejectReason"]);
      await updateRequest(p, d.id, { RejectReason: "Лифт обслуживает другая организация" });
      expect((await move(p, d.id, "Rejected")).Status).to.equal("Rejected");
      expect((await rejects(move(p, d.id, "Accepted"))).code).to.equal("final_status");
    });

    it("a stamp given beforehand stays (the demo, an import): the transition does not overwrite it", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T10:00:00",
        Account: s.accounts[0],
        RequestType: r.types.leak,
        Executor: r.executors.plumber,
        StartedAt: "2011-12-05T10:20:00",
      });
      const w = await moveAll(p, d.id, ["Accepted", "InWork"]);
      expect(w.StartedAt).to.equal("2011-12-05T10:20:00");
    });
  });

  describe("a paid request's charge (Done → Closed)", () => {
    it("closing charges the account: one Accruals line of «Платные работы» naming the request, and the debt in Settlements, in the month closed", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T09:00:00",
        Account: s.accounts[1],
        RequestType: r.types.paid,
        Executor: r.executors.plumber,
        Works: [{ Work: "Замена смесителя", Quantity: 1, Price: "1200.00" }],
        StartedAt: "2011-12-05T11:00:00",
        CompletedAt: "2011-12-05T12:30:00",
        ClosedAt: "2011-12-06T09:00:00",
      });
      await moveAll(p, d.id, ["Accepted", "InWork"]);
      await updateRequest(p, d.id, { Result: "Смеситель заменен" });
      await move(p, d.id, "Done");
      expect(await movements(p, "ServiceRequest", d.id, "Accruals")).to.deep.equal([]); // done, not closed: nothing yet
      await move(p, d.id, "Closed"); // the transition posts it: no separate Провести
      const [a] = await movements(p, "ServiceRequest", d.id, "Accruals");
      expect(a).to.include({
        period: "2011-12-01T00:00:00",
        Account: s.accounts[1],
        Service: r.paidService,
        Amount: "1200.00",
        Method: "Fixed",
      });
      expect(a.Explanation).to.equal(
        `Платные работы по заявке №${d.number} от 05.12.2011 (Платный вызов сантехника): Замена смесителя`,
      );
      const [st] = await movements(p, "ServiceRequest", d.id, "Settlements");
      expect(st).to.include({ DebtPeriod: "2011-12-01", Amount: "1200.00", Service: r.paidService });
      expect((await getDoc(p, "ServiceRequest", d.id)).posted).to.equal(true);
    });

    it("a paid request without an account cannot be closed", async () => {
      const d = await request(p, {
        ReceivedAt: "2011-12-05T09:00:00",
        Building: s.building,
        RequestType: r.types.paid,
        Executor: r.executors.plumber,
        Result: "Выполнено",
      });
      await moveAll(p, d.id, ["Accepted", "InWork", "Done"]);
      const e = await rejects(move(p, d.id, "Closed"));
      expect(e.message).to.match(/только указав лицевой счет/);
    });
  });
});
