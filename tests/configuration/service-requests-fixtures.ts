// Shared by the service-request tests (docs/service-requests.md): the catalogs a dispatcher needs
// on top of the seed's (documents-fixtures.ts) — the service «Платные работы», two executors and
// request types of each category — and short ways to make a request and move it by the workflow
// (server/workflow/service.ts, as POST /api/documents/ServiceRequest/:id/status does).
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { transition } from "../../server/workflow/service.ts";
import { doc, getDoc, inArea, item, type Row } from "./documents-fixtures.ts";

export interface RequestSeed {
  paidService: string;
  executors: { plumber: string; electrician: string };
  types: { leak: string; sewer: string; lift: string; planned: string; paid: string };
}

export async function seedRequestCatalogs(p: Platform): Promise<RequestSeed> {
  const paidService = (await item(p, "Services", { name: "Платные работы", CalculationMethod: "Fixed" })).id;
  const executors = {
    plumber: (await item(p, "Employees", { name: "Сантехник Петров", User: "petrov", Position: "Сантехник" })).id,
    electrician: (await item(p, "Employees", { name: "Электрик Сидоров", User: "sidorov", Position: "Электрик" })).id,
  };
  const type = async (name: string, body: Row) => (await item(p, "RequestTypes", { name, ...body })).id;
  const types = {
    leak: await type("Протечка", {
      Category: "Emergency",
      TimeMode: "Calendar",
      ResponseHours: "0.5",
      CompletionHours: 24,
    }),
    sewer: await type("Засор канализации", {
      Category: "Emergency",
      TimeMode: "Calendar",
      ResponseHours: "0.5",
      CompletionHours: 2,
    }),
    lift: await type("Не работает лифт", {
      Category: "Emergency",
      TimeMode: "Calendar",
      ResponseHours: "0.5",
      CompletionHours: 24,
    }),
    planned: await type("Замена лампы в подъезде", {
      Category: "Planned",
      TimeMode: "Working",
      ResponseHours: 8,
      CompletionHours: 40,
    }),
    paid: await type("Платный вызов сантехника", {
      Category: "Paid",
      TimeMode: "Working",
      ResponseHours: 8,
      CompletionHours: 16,
      Price: "800.00",
      Service: paidService,
    }),
  };
  return { paidService, executors, types };
}

/** Writes a request (posted, as the dispatcher's form does with Провести). */
export const request = (p: Platform, body: Row, post = true) =>
  doc(p, "ServiceRequest", { Description: "—", ...body }, post);

/** Changes header fields of a request (a plain write; posted requests are reposted). */
export const updateRequest = (p: Platform, id: string, body: Row) =>
  inArea(p, (ctx) => docs.updateDocument(ctx, "ServiceRequest", id, body));

/** Makes one transition (as a system action: no role check), then reads the request back. */
export async function move(p: Platform, id: string, status: string, comment?: string): Promise<Row> {
  await inArea(p, (ctx) => transition(ctx, "ServiceRequest", id, { status, comment }));
  return getDoc(p, "ServiceRequest", id);
}

/** Makes the transitions in turn. */
export async function moveAll(p: Platform, id: string, statuses: string[]): Promise<Row> {
  let d: Row = {};
  for (const s of statuses) d = await move(p, id, s, s === "Postponed" ? "Житель попросил позже" : undefined);
  return d;
}
