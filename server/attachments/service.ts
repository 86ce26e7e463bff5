/**
 * Attachments (docs/metadata.md#attachments): files on a catalog item or a document whose
 * metadata says `attachments: true`, kept in PostgreSQL (_attachments, bytea, under the area's
 * row-level security). A file is at most MAX_ATTACHMENT_BYTES and must be a JPEG, PNG, WEBP or
 * PDF by its content (sniff.ts; the stored type is the sniffed one, never the client's). Adding
 * or deleting takes the object row FOR SHARE (so the object cannot be deleted meanwhile) and is
 * journaled ("attachmentAdd" / "attachmentDelete"). The object's deletion takes its files along
 * (deleteAttachmentsOf). Rights are the routes' (http/attachments.ts): write to add and delete,
 * read to list and download.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../context.ts";
import type { CatalogMeta, DocumentMeta } from "../metadata/types.ts";
import { AppError, notFound } from "../errors.ts";
import { q } from "../storage/naming.ts";
import { presentation, tableOf } from "../storage/objects.ts";
import { recordEvent } from "../journal/journal.ts";
import { sniffType } from "./sniff.ts";
import type { AttachmentInfo } from "../http/workflow-types.ts";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENT_MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;

type Owner = CatalogMeta | DocumentMeta;

const what = (m: Owner) => (m.kind === "catalog" ? `справочника «${m.synonym}»` : `документа «${m.synonym}»`);

/** The object's metadata, refused (404) when it does not declare attachments. */
export function attachable<M extends Owner>(m: M): M {
  if (!m.attachments)
    throw notFound(`У ${what(m)} (${m.name}) нет вложений: в его метаданных не указано attachments: true`);
  return m;
}

export const tooLarge = () =>
  new AppError(413, "attachment_too_large", `Файл больше ${MAX_ATTACHMENT_MB} МБ: вложение не принято`);

/**
 * A file name as given (header or query; %-encoded UTF-8 allowed), kept as a plain name:
 * no folders, no control characters, at most 200 characters.
 */
export function cleanFileName(raw: string | undefined): string {
  let name = raw ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    /* not %-encoded: as it is */
  }
  name = name
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .split(/[\\/]/)
    .pop()!
    .trim();
  if (name === "" || name === "." || name === "..") name = "файл";
  return name.slice(0, 200);
}

/** The object row, read (and with `lock`, held FOR SHARE till the end of the transaction); its title for messages. */
async function lockObject(ctx: Ctx, m: Owner, id: string, lock = true): Promise<string> {
  const cols =
    m.kind === "catalog"
      ? `${m.codeLength > 0 ? "code, " : ""}name`
      : `number, to_char(date, 'YYYY-MM-DD"T"HH24:MI:SS') AS date`;
  const r = await ctx.c.query(`SELECT ${cols} FROM ${q(tableOf(m))} WHERE id = $1${lock ? " FOR SHARE" : ""}`, [id]);
  if (r.rowCount === 0) throw notFound(`${m.synonym}: объект ${id} не найден`);
  return presentation(m, r.rows[0]);
}

const info = (x: Record<string, unknown>): AttachmentInfo => ({
  id: String(x.id),
  fileName: String(x.file_name),
  contentType: String(x.content_type),
  size: Number(x.size),
  createdAt: (x.created_at as Date).toISOString(),
  login: (x.login as string | null) ?? null,
});

export async function addAttachment(
  ctx: Ctx,
  m: Owner,
  id: string,
  fileName: string,
  data: Buffer,
): Promise<AttachmentInfo> {
  attachable(m);
  if (data.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
  if (data.length === 0) throw new AppError(415, "attachment_type", "Файл пуст: вложение не принято");
  const type = sniffType(data);
  if (!type)
    throw new AppError(
      415,
      "attachment_type",
      `Файл «${fileName}» не принят: вложением может быть только фотография (JPEG, PNG, WEBP) или PDF — тип определяется по содержимому файла, а не по его имени`,
    );
  const title = await lockObject(ctx, m, id);
  const sha256 = createHash("sha256").update(data).digest("hex");
  const r = await ctx.c.query(
    `INSERT INTO _attachments (object_kind, object_name, object_id, file_name, content_type, size, sha256, data, user_id, login)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, file_name, content_type, size, created_at, login`,
    [
      m.kind,
      m.name,
      id,
      fileName,
      type,
      data.length,
      sha256,
      data,
      ctx.actor?.userId ?? null,
      ctx.actor?.login ?? null,
    ],
  );
  const added = info(r.rows[0]);
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "attachmentAdd",
    objectKind: m.kind,
    objectName: m.name,
    objectId: id,
    objectTitle: title,
    details: { attachment: added.id, fileName, contentType: type, size: data.length, sha256 },
  });
  return added;
}

export async function listAttachments(ctx: Ctx, m: Owner, id: string): Promise<AttachmentInfo[]> {
  attachable(m);
  await lockObject(ctx, m, id, false); // a list waits for no writer of the object
  const r = await ctx.c.query(
    `SELECT id, file_name, content_type, size, created_at, login FROM _attachments
      WHERE object_id = $1 AND object_kind = $2 AND object_name = $3 ORDER BY created_at, id`,
    [id, m.kind, m.name],
  );
  return r.rows.map(info);
}

export async function readAttachment(
  ctx: Ctx,
  m: Owner,
  id: string,
  attId: string,
): Promise<AttachmentInfo & { data: Buffer }> {
  attachable(m);
  const r = await ctx.c.query(
    `SELECT id, file_name, content_type, size, created_at, login, data FROM _attachments
      WHERE id = $1 AND object_id = $2 AND object_kind = $3 AND object_name = $4`,
    [attId, id, m.kind, m.name],
  );
  if (r.rowCount === 0) throw notFound(`Вложение ${attId} не найдено у этого объекта ${what(m)}`);
  return { ...info(r.rows[0]), data: r.rows[0].data as Buffer };
}

export async function deleteAttachment(ctx: Ctx, m: Owner, id: string, attId: string): Promise<void> {
  attachable(m);
  const title = await lockObject(ctx, m, id);
  const r = await ctx.c.query(
    `DELETE FROM _attachments WHERE id = $1 AND object_id = $2 AND object_kind = $3 AND object_name = $4
     RETURNING file_name, size, sha256`,
    [attId, id, m.kind, m.name],
  );
  if (r.rowCount === 0) throw notFound(`Вложение ${attId} не найдено у этого объекта ${what(m)}`);
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "attachmentDelete",
    objectKind: m.kind,
    objectName: m.name,
    objectId: id,
    objectTitle: title,
    details: { attachment: attId, fileName: r.rows[0].file_name, size: r.rows[0].size, sha256: r.rows[0].sha256 },
  });
}

/** The object is being deleted: its files go with it (same transaction). */
export async function deleteAttachmentsOf(ctx: Ctx, m: Owner, id: string): Promise<void> {
  if (!m.attachments) return;
  await ctx.c.query(`DELETE FROM _attachments WHERE object_id = $1 AND object_kind = $2 AND object_name = $3`, [
    id,
    m.kind,
    m.name,
  ]);
}
