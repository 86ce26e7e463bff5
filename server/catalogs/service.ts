/**
 * Catalog items (1C's справочники): create with an automatic zero-padded code, write with an
 * optimistic version check, groups for hierarchical catalogs, the deletion mark, and deletion
 * that is refused while anything references the item. The catalog's module may refuse a write
 * in beforeWrite(ctx). All of it runs in the caller's transaction (the HTTP layer's tx).
 */
import { chartAccounts } from "../accounting/accounts.ts";
import { Decimal } from "decimal.js";
import type { CatalogMeta } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { ormOf } from "../storage/orm.ts";
import { listObjects, type ListQuery } from "../storage/list.ts";
import {
  checkBodyShape,
  readForApi,
  checkReferences,
  checkRequired,
  dbValues,
  findReference,
  lockForWrite,
  referenceRefused,
  readObject,
  saveHeader,
  tableOf,
  writeTabularPart,
  type Row,
} from "../storage/objects.ts";
import { toDb } from "../storage/values.ts";
import { AppError, UserError, conflict } from "../errors.ts";
import { nextCounter } from "../documents/numbering.ts";
import { deleteAttachmentsOf } from "../attachments/service.ts";
import { queryApi } from "../documents/context.ts";
import { journalDelete, journalWrite } from "../journal/hooks.ts";
import type { CatalogContext } from "../api.ts";
import type { Ctx } from "../context.ts";
import { catalogOf } from "../metadata/lookup.ts";

export type { Ctx };
export type { ListQuery };

export async function listCatalog(ctx: Ctx, name: string, lq: ListQuery) {
  const chart = ctx.conf.chartsOfAccounts.get(name);
  if (chart) await chartAccounts(ctx.c, chart); // a chart's predefined accounts, written in on first use
  return listObjects(ctx.c, ctx.conf, catalogOf(ctx.conf, name), lq);
}

export async function getCatalogItem(ctx: Ctx, name: string, id: string): Promise<Row> {
  const m = catalogOf(ctx.conf, name);
  return readForApi(ctx.c, ctx.conf, m, id);
}

async function write(ctx: Ctx, m: CatalogMeta, id: string | null, body: Row): Promise<Row> {
  checkBodyShape(m, body);
  const { c, conf } = ctx;
  const current = id ? await lockForWrite(c, m, id, body, (cur) => `${m.synonym} «${cur.name}»`) : null;
  const merged: Row = { ...(current ?? {}), ...body };
  const values = dbValues(conf, m.attributes, body, {}, m.name);
  values.set(
    "name",
    toDb(conf, { kind: "string", length: m.nameLength }, merged.name ?? "", "Наименование", { field: "name" }) ?? "",
  );
  if (m.hierarchical) {
    if ("parent" in body)
      values.set(
        "parent",
        toDb(conf, { kind: "ref", target: "catalog", name: m.name }, body.parent, "Родитель", { field: "parent" }),
      );
    if ("isFolder" in body)
      values.set("is_folder", toDb(conf, { kind: "boolean" }, body.isFolder, "Это группа", { field: "isFolder" }));
    if (id && body.parent && body.parent === id)
      throw new UserError("Элемент не может быть родителем самого себя", { field: "parent" }, "invalid_value");
  }
  if ("deletionMark" in body)
    values.set(
      "deletion_mark",
      toDb(conf, { kind: "boolean" }, body.deletionMark, "Пометка удаления", { field: "deletionMark" }),
    );
  if (m.codeLength > 0 && "code" in body && body.code !== "" && body.code != null)
    values.set("code", toDb(conf, { kind: "string", length: m.codeLength }, body.code, "Код", { field: "code" }));
  if (!merged.isFolder) checkRequired(m, merged);
  await checkReferences(c, conf, m, merged);
  if (m.hierarchical && typeof merged.parent === "string") await checkParent(c, m, id, merged.parent);
  const mod = conf.modules.get(`catalog.${m.name}`);
  if (mod?.beforeWrite) {
    const forCode = codeView(m, merged);
    // The item's system fields (name, id once written) are there: codeView keeps every field.
    await mod.beforeWrite({ ...queryApi(ctx), object: forCode as CatalogContext["object"], isNew: !id });
  }
  if (!id && m.codeLength > 0 && !values.has("code")) values.set("code", await freeCode(c, m));
  const newId = await saveHeader(c, m, id, values, () =>
    conflict(`${m.synonym}: код «${values.get("code")}» уже занят`, "code"),
  );
  for (const tp of m.tabularParts) if (tp.name in body) await writeTabularPart(c, conf, m, tp, newId, body[tp.name]);
  const saved = await getCatalogItem(ctx, m.name, newId);
  await journalWrite(ctx, m, current, saved); // journal (server/journal/hooks.ts)
  return saved;
}

/** The object as handler code sees it (numbers as Decimal). */
function codeView(m: CatalogMeta, merged: Row): Row {
  const out: Row = { ...merged };
  for (const a of m.attributes)
    if (a.type.kind === "number" && out[a.name] != null && out[a.name] !== "")
      out[a.name] = new Decimal(String(out[a.name]));
  return out;
}

/** A parent must be a group, and not the item itself or one of its descendants. */
async function checkParent(c: Client, m: CatalogMeta, id: string | null, parent: string): Promise<void> {
  const t = q(tableOf(m));
  const group = await ormOf(c)
    .createQueryBuilder()
    .select(["is_folder", "name"])
    .from(tableOf(m), "g")
    .where("id = :parent", { parent })
    .getRawOne<{ is_folder: boolean; name: string }>();
  // In an item hierarchy (a chart's sub-accounts) any item may be a parent.
  if (!group?.is_folder && !(group && m.itemHierarchy))
    throw new UserError(
      `Родителем может быть только группа, а «${group?.name ?? parent}» — не группа`,
      { field: "parent" },
      "invalid_parent",
    );
  if (!id) return;
  // a recursive walk up the groups: plain SQL, which the QueryBuilder has no form for
  const cycle = await c.query(
    `WITH RECURSIVE up(id, parent) AS (SELECT id, parent FROM ${t} WHERE id = $1
       UNION SELECT x.id, x.parent FROM ${t} x JOIN up ON x.id = up.parent)
     SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
    [parent, id],
  );
  if (cycle.rowCount) throw new UserError("Группа не может входить сама в себя", { field: "parent" }, "invalid_parent");
}

async function freeCode(c: Client, m: CatalogMeta): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const n = await nextCounter(c, `catalog.${m.name}`, 0);
    const code = String(n).padStart(m.codeLength, "0");
    if (code.length > m.codeLength)
      throw new UserError(`${m.synonym}: коды длиной ${m.codeLength} исчерпаны`, { field: "code" }, "codes_exhausted");
    if (!(await ormOf(c).getRepository(tableOf(m)).existsBy({ code }))) return code;
  }
  throw new UserError(`${m.synonym}: не удалось подобрать свободный код`, { field: "code" }, "codes_exhausted");
}

export const createCatalogItem = (ctx: Ctx, name: string, body: Row) =>
  write(ctx, catalogOf(ctx.conf, name), null, body);
export const updateCatalogItem = (ctx: Ctx, name: string, id: string, body: Row) =>
  write(ctx, catalogOf(ctx.conf, name), id, body);

export async function deleteCatalogItem(ctx: Ctx, name: string, id: string): Promise<void> {
  const m = catalogOf(ctx.conf, name);
  const obj = await readObject(ctx.c, m, id, "json", true);
  const where = await findReference(ctx.c, ctx.conf, "catalog", m.name, id);
  if (where)
    throw new AppError(
      409,
      "referenced",
      `Нельзя удалить «${obj.name}»: на него ссылается ${where}. Установите пометку удаления вместо удаления.`,
    );
  await deleteAttachmentsOf(ctx, m, id); // its files go with it (server/attachments)
  await ormOf(ctx.c)
    .getRepository(tableOf(m))
    .delete({ id })
    .catch((e) => {
      throw referenceRefused(
        e,
        `Нельзя удалить «${obj.name}»: на него только что сослался другой пользователь. Установите пометку удаления вместо удаления.`,
      );
    });
  await journalDelete(ctx, m, obj); // journal
}
