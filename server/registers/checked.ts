/**
 * Records of an independent information register written directly (the HTTP API, initial
 * data) go through the register's module first: `<Register>.ts` beside its YAML may export
 * beforeWrite(ctx) that refuses them (ctx.error) before anything is written.
 */
import type { Row } from "../api.ts";
import type { Ctx } from "../context.ts";
import type { InformationRegisterMeta } from "../metadata/types.ts";
import { queryApi } from "../documents/context.ts";
import { writeRecords } from "./info.ts";

export async function writeCheckedRecords(ctx: Ctx, reg: InformationRegisterMeta, rows: Row[]): Promise<number> {
  const mod = ctx.conf.modules.get(`informationRegister.${reg.name}`);
  if (mod?.beforeWrite) await mod.beforeWrite({ ...queryApi(ctx), records: rows });
  return writeRecords(ctx.c, ctx.conf, reg, rows);
}
