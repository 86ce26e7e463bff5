/**
 * Server-side SQL of the accumulation registers (functions that apply a record set to the
 * totals), re-created on every migration. (Placeholder: filled in by the registers work.)
 */
import type { Configuration } from "../metadata/types.ts";

export function registerFunctionsSql(_conf: Configuration): string {
  return "";
}
