/**
 * Document statuses over HTTP (server/workflow), mounted on /api:
 *   POST /documents/:name/:id/status          {"status": "<identifier>", "comment"?, "from"?} makes one
 *        transition (the document's write right; the transition's roles) → the document with
 *        allowedTransitions; refusals: 409 not declared / final / «Статус уже изменен», 403 the role,
 *        422 a required field or comment
 *   GET  /documents/:name/:id/status-history  StatusHistory: the status, the allowed transitions, the history
 * The list's «Мои» is ?mine=true on GET /documents/:name (objects.ts, mineFilter).
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { badRequest } from "../errors.ts";
import { idOf, jsonBody, param, type Run } from "./context.ts";
import { documentOf } from "../metadata/lookup.ts";
import { statusHistory, transition, workflowOf, type TransitionBody } from "../workflow/service.ts";

const FIELDS = ["status", "comment", "from"];

function transitionBody(body: unknown): TransitionBody {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest('Ожидается {"status": "<статус>", "comment": "<комментарий>"}');
  for (const [k, v] of Object.entries(body)) {
    if (!FIELDS.includes(k)) throw badRequest(`Неизвестное поле «${k}»: возможны ${FIELDS.join(", ")}`, k);
    if (typeof v !== "string") throw badRequest(`Поле ${k}: ожидается строка`, k);
  }
  const b = body as Record<string, string>;
  if (!b.status) throw badRequest("Не указан статус, в который перевести документ (поле status)", "status");
  return { status: b.status, comment: b.comment, from: b.from };
}

export function workflowRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  r.post("/documents/:name/:id/status", allow.document("write"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    workflowOf(m);
    const id = idOf(req);
    const body = transitionBody(jsonBody(req));
    res.json(await run((ctx) => transition(ctx, m.name, id, body)));
  });
  r.get("/documents/:name/:id/status-history", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    workflowOf(m);
    const id = idOf(req);
    res.json(await run((ctx) => statusHistory(ctx, m.name, id)));
  });
  return r.router;
}
