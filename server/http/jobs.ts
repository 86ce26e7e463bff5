/**
 * Background posting: `POST /api/documents/:name/:id/post?async=1` answers 202 with a job at
 * once and posts in the background (one transaction, as the synchronous route); the client
 * polls the job for its progress bar — the handler's `ctx.progress(done, total, stage)`, then
 * the engine's writing of the record sets.
 *   GET    /api/jobs/:id     { id, state: running|done|failed, stage, done, total, error, document, objectId, … }
 *   DELETE /api/jobs/:id     forget it
 * A failed job's `error` is the API's error body ({code, message, field}): a refusal naming
 * "Table[3].Field" lets the form select that cell, as after a synchronous posting.
 * Jobs are kept in PostgreSQL (server/jobs.ts): after a restart the job is still there, and a
 * posting left unfinished is done again by the next process (reposting replaces the record set).
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import * as documents from "../documents/service.ts";
import { jobQueue, Jobs, type Job } from "../jobs.ts";
import { param, type Run } from "./context.ts";

type Info = { document: string; objectId: string };

/** The posting jobs of the app's database (the work registered once per database and run). */
export function postingJobs(run: Run): Jobs<Info, true> {
  let jobs = registered.get(run);
  if (!jobs) {
    jobs = jobQueue(run.db, run.conf).register<Info, true>({
      kind: "posting",
      what: "posting job",
      busy: (n) => `Уже проводится ${n} документов в фоне; дождитесь окончания`,
      missing: (id) => `Задания проведения ${id} нет (или оно уже забыто)`,
      max: 50,
      work: async ({ document, objectId }, progress) => {
        await run((ctx) => documents.postDocument(ctx, document, objectId, { progress }));
        return { result: true as const };
      },
    });
    registered.set(run, jobs);
  }
  return jobs;
}
const registered = new WeakMap<Run, Jobs<Info, true>>();

/** Starts posting a saved document in the background; the job's status. */
export async function startPosting(run: Run, document: string, objectId: string) {
  return jobStatus(await postingJobs(run).start({ document, objectId }));
}

function jobStatus(j: Job<Info, true>) {
  return { ...Jobs.status(j), document: j.info.document, objectId: j.info.objectId };
}

export function jobRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  const jobs = postingJobs(run); // registered now: a restarted server takes over unfinished postings
  // A job is its owner's (server/jobs.ts): another user gets 404.
  r.get("/:id", allow.session(), async (req, res) => {
    res.json(jobStatus(await jobs.get(param(req, "id"))));
  });
  r.delete("/:id", allow.session(), async (req, res) => {
    await jobs.get(param(req, "id")); // 404 for an unknown id
    await jobs.remove(param(req, "id"));
    res.status(204).end();
  });
  return r.router;
}
