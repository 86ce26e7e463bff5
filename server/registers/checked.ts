/**
 * Records of an independent information register written or deleted directly (the HTTP API,
 * initial data) go through the register's module: `<Register>.ts` beside its YAML may export
 * beforeWrite(ctx) that refuses them (ctx.error) before anything is written, and afterWrite(ctx)
 * that runs once they are written or deleted, in the same transaction (it may write records of
 * other independent registers and change catalog items; a throw undoes everything).
 */
import type { RecordsWrittenContext, Row } from "../api.ts";
import type { Ctx } from "../context.ts";
import type { InformationRegisterMeta } from "../metadata/types.ts";
import { informationOf } from "../metadata/lookup.ts";
import { queryApi } from "../documents/context.ts";
import { updateCatalogItem } from "../catalogs/service.ts";
import { deleteRecords, writeRecords } from "./info.ts";

const moduleOf = (ctx: Ctx, reg: InformationRegisterMeta) => ctx.conf.modules.get(`informationRegister.${reg.name}`);

function writtenContext(ctx: Ctx, records: Row[], deleted: boolean): RecordsWrittenContext {
  return {
    ...queryApi(ctx),
    records,
    deleted,
    writeRecords: (register, rows) => writeCheckedRecords(ctx, informationOf(ctx.conf, register, "Запись"), rows),
    updateCatalogItem: async (catalog, id, values) => void (await updateCatalogItem(ctx, catalog, id, values)),
  };
}

export async function writeCheckedRecords(ctx: Ctx, reg: InformationRegisterMeta, rows: Row[]): Promise<number> {
  const mod = moduleOf(ctx, reg);
  if (mod?.beforeWrite) await mod.beforeWrite({ ...queryApi(ctx), records: rows });
  const n = await writeRecords(ctx.c, ctx.conf, reg, rows);
  if (mod?.afterWrite) await mod.afterWrite(writtenContext(ctx, rows, false));
  return n;
}

/** Deletes records by key ({period?, dimensions…}); the module's afterWrite sees the keys when any was deleted. */
export async function deleteCheckedRecords(ctx: Ctx, reg: InformationRegisterMeta, keys: Row[]): Promise<number> {
  const n = await deleteRecords(ctx.c, ctx.conf, reg, keys);
  const mod = moduleOf(ctx, reg);
  if (n > 0 && mod?.afterWrite) await mod.afterWrite(writtenContext(ctx, keys, true));
  return n;
}
