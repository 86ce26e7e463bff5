// Shared by the penalties tests: the legal data the demo ships (the cap on the key rate, ПП
// №474; the moratoria, ПП №424 and №497) written into their registers, and writing or deleting
// single records as an administrator does through /api/registers/<name>/records.
import type { Platform } from "../../server/platform.ts";
import { deleteRecords, writeRecords } from "../../server/registers/index.ts";
import { rateCapRecords } from "../../metadata/common/key-rates.ts";
import { moratoriumRecords } from "../../metadata/common/penalties.ts";
import { inArea, type Row } from "./payments-fixtures.ts";

export const writeInfo = (p: Platform, register: string, rows: Row[]) =>
  inArea(p, (ctx) => writeRecords(ctx.c, ctx.conf, ctx.conf.informationRegisters.get(register)!, rows));

export const deleteInfo = (p: Platform, register: string, keys: Row[]) =>
  inArea(p, (ctx) => deleteRecords(ctx.c, ctx.conf, ctx.conf.informationRegisters.get(register)!, keys));

/** The caps and moratoria as initial-data.ts ships them. */
export async function loadPenaltyRules(p: Platform): Promise<void> {
  await writeInfo(p, "PenaltyRateCaps", rateCapRecords());
  await writeInfo(p, "Moratoria", moratoriumRecords());
}
