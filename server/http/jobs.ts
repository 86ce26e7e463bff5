/**
 * Background posting: `POST /api/documents/:name/:id/post?async=1` answers 202 with a job at
 * once and posts in the background (one transaction, as the synchronous route); the client
 * polls the job for its progress bar — the handler's `ctx.progress(done, total, stage)`, then
 * the engine's writing of the record sets.
 *   GET    /api/jobs/:id     { id, state: running|done|failed, stage, done, total, error, document, objectId, … }
 *   DELETE /api/jobs/:id     forget it
 * A failed job's `error` is the API's error body ({code, message, field}): a refusal naming
 * "Table[3].Field" lets the form select that cell, as after a synchronous posting.
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import * as documents from "../documents/service.ts";
import { Jobs } from "../jobs.ts";
import { param, type Run } from "./context.ts";

export const postingJobs = new Jobs<{ document: string; objectId: string }, true>({
  what: "posting job",
  busy: (n) => `Уже проводится ${n} документов в фоне; дождитесь окончания`,
  missing: (id) => `Задания проведения ${id} нет (или оно уже забыто)`,
  max: 50,
});

/** Starts posting a saved document in the background; the job's status. */
export function startPosting(run: Run, document: string, objectId: string) {
  const job = postingJobs.start({ document, objectId }, async (progress) => {
    await run((ctx) => documents.postDocument(ctx, document, objectId, { progress }));
    return true as const;
  });
  return jobStatus(job.id);
}

function jobStatus(id: string) {
  const j = postingJobs.get(id);
  return { ...postingJobs.status(id), document: j.info.document, objectId: j.info.objectId };
}

export function jobRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  // A job is its owner's (server/jobs.ts): another user gets 404.
  r.get("/:id", allow.session(), (req, res) => {
    res.json(jobStatus(param(req, "id")));
  });
  r.delete("/:id", allow.session(), (req, res) => {
    postingJobs.get(param(req, "id")); // 404 for an unknown id
    postingJobs.remove(param(req, "id"));
    res.status(204).end();
  });
  return r.router;
}
