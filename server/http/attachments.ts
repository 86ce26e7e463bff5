/**
 * Attachments over HTTP (server/attachments), mounted on /api, for every catalog and document
 * whose metadata says `attachments: true` (`:kind` is catalogs or documents):
 *   POST   /:kind/:name/:id/attachments          the file as the body (application/octet-stream; any
 *          declared type is ignored), its name in the X-File-Name header (%-encoded UTF-8) or ?name=
 *          → 201 AttachmentInfo; 413 over 10 MB, 415 not a JPEG/PNG/WEBP/PDF by content (write right)
 *   GET    /:kind/:name/:id/attachments          AttachmentList (read right)
 *   GET    /:kind/:name/:id/attachments/:attId   the file: its sniffed type, Content-Disposition:
 *          attachment, X-Content-Type-Options: nosniff, a sandboxing CSP — never shown inline (read right)
 *   DELETE /:kind/:name/:id/attachments/:attId   204 (write right)
 */
import type { Request, Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { AppError, badRequest } from "../errors.ts";
import { idOf, param, type Run } from "./context.ts";
import { catalogOf, documentOf } from "../metadata/lookup.ts";
import { UUID_RE } from "../storage/values.ts";
import { currentScope } from "../security/scope.ts";
import {
  addAttachment,
  attachable,
  cleanFileName,
  deleteAttachment,
  listAttachments,
  MAX_ATTACHMENT_BYTES,
  readAttachment,
  tooLarge,
} from "../attachments/service.ts";
import type { AttachmentList } from "./workflow-types.ts";

/** The request body as bytes, refused (413) past the limit — declared or counted; the rest is drained, not kept. */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const enc = req.headers["content-encoding"];
    if (enc !== undefined && String(enc).toLowerCase() !== "identity") {
      reject(new AppError(415, "unsupported_encoding", "Вложение передается без сжатия (без Content-Encoding)"));
      return;
    }
    if (req.readableEnded || req.body !== undefined) {
      // a JSON body was read by the API's parser: the file must come as it is
      reject(
        new AppError(
          415,
          "unsupported_media_type",
          "Файл передается телом запроса как есть (Content-Type: application/octet-stream)",
        ),
      );
      return;
    }
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // read and drop the rest, so the client gets the answer
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/** Content-Disposition: attachment with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function attId(req: Request): string {
  const v = param(req, "attId");
  if (!UUID_RE.test(v)) throw badRequest(`Неверный идентификатор вложения «${v}»: ожидается UUID`, "attId");
  return v.toLowerCase();
}

export function attachmentRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  for (const kind of ["catalogs", "documents"] as const) {
    const rule = kind === "catalogs" ? allow.catalog : allow.document;
    const metaOf = (req: Request) =>
      attachable(
        kind === "catalogs" ? catalogOf(run.conf, param(req, "name")) : documentOf(run.conf, param(req, "name")),
      );
    const base = `/${kind}/:name/:id/attachments`;
    r.post(base, rule("write"), async (req, res) => {
      const m = metaOf(req);
      const id = idOf(req);
      const header = req.headers["x-file-name"];
      const query = typeof req.query.name === "string" ? req.query.name : undefined;
      const fileName = cleanFileName(typeof header === "string" ? header : query);
      const data = await readBody(req, MAX_ATTACHMENT_BYTES);
      res.status(201).json(await run((ctx) => addAttachment(ctx, m, id, fileName, data)));
    });
    r.get(base, rule("read"), async (req, res) => {
      const m = metaOf(req);
      const id = idOf(req);
      const list = await run((ctx) => listAttachments(ctx, m, id));
      const group = kind === "catalogs" ? "catalog" : "document";
      const answer: AttachmentList = {
        attachments: list,
        canEdit: currentScope()?.perms.can(group, m.name, "write") ?? true,
        maxBytes: MAX_ATTACHMENT_BYTES,
      };
      res.json(answer);
    });
    r.get(`${base}/:attId`, rule("read"), async (req, res) => {
      const m = metaOf(req);
      const id = idOf(req);
      const file = await run((ctx) => readAttachment(ctx, m, id, attId(req)));
      res.set({
        "Content-Type": file.contentType,
        "Content-Length": String(file.data.length),
        "Content-Disposition": disposition(file.fileName),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      });
      res.end(file.data);
    });
    r.delete(`${base}/:attId`, rule("write"), async (req, res) => {
      const m = metaOf(req);
      const id = idOf(req);
      await run((ctx) => deleteAttachment(ctx, m, id, attId(req)));
      res.status(204).end();
    });
  }
  return r.router;
}
