/**
 * Routes of catalogs and documents: paged lists (or the whole list as CSV or Excel with
 * ?format=csv|xlsx, http/export.ts), create, read, write, delete; for documents
 * also post (in the background with ?async=1, see jobs.ts)/unpost, the server-side fill of a tabular part (for a saved or a new unsaved
 * document) and the register records («Движения»). Names, ids, query parameters and bodies
 * are checked here (query.ts, schemas.ts); the work is done by the services in one
 * transaction per request.
 */
import type { Request, Response, Router } from "express";
import * as catalogs from "../catalogs/service.ts";
import * as documents from "../documents/service.ts";
import type { Row } from "../storage/objects.ts";
import { badRequest, notFound } from "../errors.ts";
import { createDocuments, itemError } from "../documents/batch.ts";
import { idOf, jsonBody, param, type Run } from "./context.ts";
import { catalogOf, documentOf } from "../metadata/lookup.ts";
import { flag, listParams, single, type Query } from "./query.ts";
import { exportFormat, sendTable } from "./export.ts";
import { journalListExport, listTable } from "../export/lists.ts";

/** Query parameters of a list's export (?format=csv|xlsx&columns=…), not filters. */
const EXPORT_PARAMS = ["format", "columns"];
import { validObjectBody } from "./schemas.ts";
import { startPosting } from "./jobs.ts";
import { rules, secureRouter, writeAndMaybePost } from "./access.ts";
import { mineFilter, withAllowedTransitions } from "../workflow/service.ts";
import { exportFile, importFile } from "../documents/files.ts";
import { readBody } from "./attachments.ts";

/** The largest file an import takes (a statement of 10,000 payments is about 11 MB). */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** The query parameters handed to a module's import/export hook: single strings only. */
function hookParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (typeof v !== "string") throw badRequest(`Параметр «${k}» указан несколько раз или не строкой`, k);
    out[k] = v;
  }
  return out;
}

/** The body of a create or write: a JSON object (none = {}), checked against the object's schema. */
function bodyOf(req: Request, check: (body: unknown) => Row): Row {
  const body = jsonBody(req);
  return check(body === undefined ? {} : body);
}

export function catalogRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);

  r.get("/:name", allow.catalog("read"), async (req: Request, res: Response) => {
    const name = param(req, "name");
    const lp = listParams(run.conf, catalogOf(run.conf, name), req.query as Query, EXPORT_PARAMS);
    const format = exportFormat(req.query as Query);
    if (format) {
      // the list as a file: the same filters, search and sort, every row (http/export.ts)
      const columns = single(req.query as Query, "columns");
      const t = await run(async (ctx) => {
        const t = await listTable(ctx, catalogOf(ctx.conf, name), lp, columns, (lq) =>
          catalogs.listCatalog(ctx, name, lq),
        );
        await journalListExport(ctx, "catalog", name, t, format, lp);
        return t;
      });
      return sendTable(res, t, format);
    }
    const out = await run((ctx) => catalogs.listCatalog(ctx, name, lp));
    res.json({ ...out, offset: lp.offset, limit: lp.limit });
  });

  r.post("/:name", allow.catalog("write"), async (req, res) => {
    const m = catalogOf(run.conf, param(req, "name"));
    const body = bodyOf(req, (b) => validObjectBody(run.conf, m, b));
    res.status(201).json(await run((ctx) => catalogs.createCatalogItem(ctx, m.name, body)));
  });

  r.get("/:name/:id", allow.catalog("read"), async (req, res) => {
    const m = catalogOf(run.conf, param(req, "name"));
    const id = idOf(req);
    res.json(await run((ctx) => catalogs.getCatalogItem(ctx, m.name, id)));
  });

  r.put("/:name/:id", allow.catalog("write"), async (req, res) => {
    const m = catalogOf(run.conf, param(req, "name"));
    const id = idOf(req);
    const body = bodyOf(req, (b) => validObjectBody(run.conf, m, b, id));
    res.json(await run((ctx) => catalogs.updateCatalogItem(ctx, m.name, id, body)));
  });

  r.delete("/:name/:id", allow.catalog("delete"), async (req, res) => {
    const m = catalogOf(run.conf, param(req, "name"));
    const id = idOf(req);
    await run((ctx) => catalogs.deleteCatalogItem(ctx, m.name, id));
    res.status(204).end();
  });

  return r.router;
}

export function documentRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);

  r.get("/:name", allow.document("read"), async (req, res) => {
    const name = param(req, "name");
    const lp = listParams(run.conf, documentOf(run.conf, name), req.query as Query, ["mine", ...EXPORT_PARAMS]);
    const mine = flag(req.query as Query, "mine"); // workflow's «Мои» (server/workflow)
    const format = exportFormat(req.query as Query);
    if (format) {
      const columns = single(req.query as Query, "columns");
      const t = await run(async (ctx) => {
        if (mine) lp.filter = { ...lp.filter, ...(await mineFilter(ctx, documentOf(ctx.conf, name))) };
        const t = await listTable(ctx, documentOf(ctx.conf, name), lp, columns, (lq) =>
          documents.listDocuments(ctx, name, lq),
        );
        await journalListExport(ctx, "document", name, t, format, lp);
        return t;
      });
      return sendTable(res, t, format);
    }
    const out = await run(async (ctx) => {
      if (mine) lp.filter = { ...lp.filter, ...(await mineFilter(ctx, documentOf(ctx.conf, name))) };
      return documents.listDocuments(ctx, name, lp);
    });
    res.json({ ...out, offset: lp.offset, limit: lp.limit });
  });

  r.post("/:name", allow.document(writeAndMaybePost), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const post = flag(req.query as Query, "post");
    const body = bodyOf(req, (b) => validObjectBody(run.conf, m, b));
    res.status(201).json(await run((ctx) => documents.createDocument(ctx, m.name, body, { post })));
  });

  // A batch (an import, e.g. a bank's registry of payments): {"items": [document, …]} written —
  // and with ?post=true posted — in one transaction: all or none; a refusal names items[i].
  r.post("/:name/batch", allow.document(writeAndMaybePost), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const post = flag(req.query as Query, "post");
    const body = jsonBody(req) as { items?: unknown } | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body) || Object.keys(body).some((k) => k !== "items"))
      throw badRequest('Ожидается {"items": [документ, …]}', "items");
    if (Array.isArray(body.items))
      body.items.forEach((item, i, all) => {
        try {
          validObjectBody(run.conf, m, item);
        } catch (e) {
          throw itemError(e, i, all.length);
        }
      });
    res.status(201).json(await run((ctx) => createDocuments(ctx, m.name, body.items, { post })));
  });

  // A file into documents by the document module's `import` hook (documents/files.ts): the file's
  // bytes as the body (application/octet-stream), query parameters to the hook; one transaction,
  // the hook's answer. Needs the rights to write and post the document (and, inside, the kinds it creates).
  r.post("/:name/import", allow.document(["write", "post"]), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const params = hookParams(req);
    const file = await readBody(req, MAX_IMPORT_BYTES);
    res.json(await run((ctx) => importFile(ctx, m.name, file, params)));
  });

  // A file made by the module's `export` hook, downloaded as an attachment (before "/:name/:id").
  r.get("/:name/export", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const params = hookParams(req);
    const out = await run((ctx) => exportFile(ctx, m.name, params));
    const ascii = out.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    res
      .status(200)
      .set("Content-Type", out.contentType ?? "application/octet-stream")
      .set(
        "Content-Disposition",
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(out.fileName)}`,
      )
      .set("X-Content-Type-Options", "nosniff")
      .send(out.body);
  });

  // Registered before "/:name/:id/…" so that "fill" is never taken for an id.
  r.post("/:name/fill/:table", allow.document("write"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const table = tableOf(m, param(req, "table"));
    const body = jsonBody(req);
    const doc = body === undefined ? undefined : validObjectBody(run.conf, m, body);
    res.json({ rows: await run((ctx) => documents.fillTable(ctx, m.name, null, table, doc)) });
  });

  r.get("/:name/:id", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    res.json(withAllowedTransitions(m, await run((ctx) => documents.getDocument(ctx, m.name, id))));
  });

  r.put("/:name/:id", allow.document(writeAndMaybePost), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    const post = flag(req.query as Query, "post");
    const body = bodyOf(req, (b) => validObjectBody(run.conf, m, b, id));
    res.json(await run((ctx) => documents.updateDocument(ctx, m.name, id, body, { post })));
  });

  r.delete("/:name/:id", allow.document("delete"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    await run((ctx) => documents.deleteDocument(ctx, m.name, id));
    res.status(204).end();
  });

  r.post("/:name/:id/post", allow.document("post"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    // ?async=1: 202 with a job to poll at /api/jobs/:id (http/jobs.ts), for long postings.
    if (flag(req.query as Query, "async")) {
      res.status(202).json(await startPosting(run, m.name, id));
      return;
    }
    res.json(await run((ctx) => documents.postDocument(ctx, m.name, id)));
  });

  r.post("/:name/:id/unpost", allow.document("post"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    res.json(await run((ctx) => documents.unpostDocument(ctx, m.name, id)));
  });

  r.post("/:name/:id/fill/:table", allow.document("write"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    const table = tableOf(m, param(req, "table"));
    const body = jsonBody(req);
    const doc = body === undefined ? undefined : validObjectBody(run.conf, m, body, id);
    res.json({ rows: await run((ctx) => documents.fillTable(ctx, m.name, id, table, doc)) });
  });

  r.get("/:name/:id/movements", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    res.json({ registers: await run((ctx) => documents.documentMovements(ctx, m.name, id)) });
  });

  return r.router;
}

function tableOf(m: ReturnType<typeof documentOf>, table: string): string {
  if (!m.tabularParts.some((t) => t.name === table))
    throw notFound(`У документа ${m.name} нет табличной части «${table}»`);
  return table;
}
