/**
 * The forms' view of their context through this configuration's generated types
 * (metadata/types.gen.ts): the platform builds the same read API for every configuration and
 * types it loosely (rows of unknown values); the generated `Query` describes that API as this
 * configuration's metadata defines it — registers' balance and turnover rows, information
 * registers' slices, catalog and document rows. Defined once here; every data module reads
 * through it.
 */
import type { ReportContext } from "../../server/api.ts";
import type { Query } from "../../metadata/types.gen.ts";

export type TypedReportContext = Query & ReportContext;

export const typed = (ctx: ReportContext) => ctx as unknown as TypedReportContext;
