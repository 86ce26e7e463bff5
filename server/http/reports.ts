/**
 * Routes of printed forms and reports (server/reports/): the list, a form's description (its
 * parameters, for the viewer's parameter form), rendering with parameters, and batch jobs with
 * progress.
 *   GET    /api/reports[?object=catalog.X]          forms (those a catalog/document form offers)
 *   GET    /api/reports/:name                       one form: title, appliesTo, parameters
 *   POST   /api/reports/:name/render?format=html|pdf|csv|xlsx   body: { parameter: value, … }
 *   POST   /api/reports/:name/jobs?format=…         202 { id, state, stage, done, total, … }
 *   GET    /api/reports/jobs/:id                    the job's progress
 *   GET    /api/reports/jobs/:id/result             the document, once done
 *   DELETE /api/reports/jobs/:id                    forget the job and its file
 * The forms folder: REPORTS_DIR, else reports/ beside the configuration's metadata folder.
 */
import type { Response, Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { badRequest } from "../errors.ts";
import { FormRegistry, type Form } from "../reports/discover.ts";
import { Jobs } from "../reports/jobs.ts";
import { checkParams } from "../reports/params.ts";
import { FORMATS, manifestOf, render, type Format, type Rendered } from "../reports/render.ts";
import { jsonBody, param, type Run } from "./context.ts";
import { canAccessReport } from "../security/scope.ts";
import { journalReportPrint } from "../journal/reports.ts";
import { setting } from "../config.ts";
import type { ReportListing } from "./api-types.ts";

function describe(f: Form): ReportListing {
  const m = f.manifest;
  if (!m) return { name: f.name, title: f.name, error: f.error ?? "" };
  return {
    name: m.name,
    title: m.title,
    ...(m.description ? { description: m.description } : {}),
    appliesTo: m.appliesTo,
    parameters: m.parameters.map(({ parsed: _p, ...p }) => p),
    formats: m.csv ? ["html", "pdf", "csv", "xlsx"] : ["html", "pdf"],
    batch: m.repeat !== undefined, // printed in chunks with progress (a job's progress bar means something)
    page: m.page,
    error: null,
  };
}

function formatOf(q: unknown): Format {
  const f = (q as Record<string, unknown>).format ?? "html";
  if (typeof f !== "string" || !(FORMATS as string[]).includes(f))
    throw badRequest(`format: одно из ${FORMATS.join(", ")}, получено ${JSON.stringify(f)}`, "format");
  return f as Format;
}

/** Content-Disposition with an ASCII name and the Russian title (RFC 5987). */
function disposition(r: { fileName: string; title: string }, download: boolean): string {
  const ext = r.fileName.slice(r.fileName.lastIndexOf("."));
  return `${download ? "attachment" : "inline"}; filename="${r.fileName}"; filename*=UTF-8''${encodeURIComponent(r.title + ext)}`;
}

function send(res: Response, r: Rendered, download: boolean): void {
  res.set("Content-Type", r.contentType);
  res.set("Content-Disposition", disposition(r, download));
  if (r.sheets !== undefined) res.set("X-Report-Sheets", String(r.sheets));
  res.send(typeof r.body === "string" ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
}

export function reportRoutes(
  run: Run,
  dir = setting("REPORTS_DIR") ?? join(dirname(run.conf.root), "reports"),
): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  const forms = new FormRegistry(dir, run.conf);
  // A print job renders from what it keeps (form, format, parameters): again, after a restart.
  const jobs = new Jobs(run, async ({ report, format, params }, progress) => {
    const form = forms.get(report);
    const out = await render(run, form, params, format, { progress });
    await run((ctx) => journalReportPrint(ctx, form.name, params ?? null, format, form.manifest?.title));
    return out;
  });

  r.get("/", allow.session(), (req, res) => {
    const object = typeof req.query.object === "string" ? req.query.object : null;
    // Only the forms this user's roles may open (opening another one is refused with 403 anyway).
    const list = forms
      .list()
      .filter((f) => canAccessReport(f.name) && (!object || f.manifest?.appliesTo.some((a) => a.object === object)));
    res.json({ reports: list.map(describe) });
  });

  r.get("/jobs/:id", allow.session(), async (req, res) => {
    res.json(await jobs.status(param(req, "id")));
  });
  r.get("/jobs/:id/result", allow.session(), async (req, res) => {
    const out = await jobs.result(param(req, "id"));
    res.set("Content-Type", out.contentType);
    res.set("Content-Disposition", disposition(out, req.query.download === "1"));
    res.set("Content-Length", String(out.size));
    await pipeline(Readable.from(out.body), res); // the file is read from the database in chunks
  });
  r.delete("/jobs/:id", allow.session(), async (req, res) => {
    await jobs.status(param(req, "id")); // 404 for an unknown id
    await jobs.remove(param(req, "id"));
    res.status(204).end();
  });

  r.get("/:name", allow.report(), (req, res) => {
    res.json(describe(forms.get(param(req, "name"))));
  });

  r.post("/:name/render", allow.report(), async (req, res) => {
    const form = forms.get(param(req, "name"));
    const format = formatOf(req.query);
    const params = jsonBody(req);
    const out = await render(run, form, params, format);
    // Who printed or exported what (personal data leaves the system here): the journal.
    await run((ctx) => journalReportPrint(ctx, form.name, params ?? null, format, form.manifest?.title));
    send(res, out, req.query.download === "1");
  });

  r.post("/:name/jobs", allow.report(), async (req, res) => {
    const form = forms.get(param(req, "name"));
    const format = formatOf(req.query);
    const body = jsonBody(req);
    checkParams(manifestOf(form), body, run.conf); // a bad parameter is a 400 now, not a failed job
    res.status(202).json(await jobs.start(form.name, format, body));
  });

  return r.router;
}
