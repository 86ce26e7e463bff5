/**
 * A document module's file hooks (server/api.ts ImportContext, ExportContext): `import` turns a
 * file's bytes into documents in the caller's one transaction (all or nothing), `export` makes a
 * file from documents. http/objects.ts exposes them as POST /api/documents/:name/import and
 * GET /api/documents/:name/export for the documents whose module defines them.
 */
import type { ExportedFile, Row } from "../api.ts";
import { notFound } from "../errors.ts";
import { documentOf } from "../metadata/lookup.ts";
import { createDocuments } from "./batch.ts";
import { queryApi } from "./context.ts";
import { documentWriter, mayWrite, type Ctx } from "./service.ts";

function hook<K extends "import" | "export">(ctx: Ctx, name: string, kind: K) {
  const m = documentOf(ctx.conf, name);
  const fn = ctx.conf.modules.get(`document.${m.name}`)?.[kind];
  if (!fn)
    throw notFound(
      `Документ «${m.synonym}» (${m.name}) не ${kind === "import" ? "загружается" : "выгружается"} из файла`,
    );
  return fn;
}

export async function importFile(ctx: Ctx, name: string, file: Buffer, params: Record<string, string>) {
  const fn = hook(ctx, name, "import");
  return fn({
    ...queryApi(ctx),
    ...documentWriter(ctx),
    file,
    params,
    createDocuments: async (docName: string, items: Row[], opts: { post?: boolean } = {}) => {
      mayWrite(ctx, docName, opts.post);
      return items.length ? (await createDocuments(ctx, docName, items, opts)).ids : [];
    },
  });
}

export async function exportFile(ctx: Ctx, name: string, params: Record<string, string>): Promise<ExportedFile> {
  const fn = hook(ctx, name, "export");
  const out = await fn({ ...queryApi(ctx), params });
  if (!out || !Buffer.isBuffer(out.body) || typeof out.fileName !== "string")
    throw new Error(`export of ${name} did not return { fileName, body: Buffer }`);
  return out;
}
