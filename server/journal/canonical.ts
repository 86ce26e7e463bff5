/**
 * Canonical JSON: one text for one value, whoever computes it. Keys sorted by code unit, no
 * whitespace, numbers and Decimals as decimal strings, dates as ISO text, undefined members
 * dropped. The journal hashes its entries' content in this form and signatures sign documents
 * in it, so the same data always gives the same bytes.
 */
import { Decimal } from "decimal.js";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

/** The value with sorted keys and numbers as strings (JSON.stringify then adds no spaces). */
export function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`canonical JSON: ${value} is not a finite number`);
    return Object.is(value, -0) ? "0" : new Decimal(value).toFixed();
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalValue(v)));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonicalValue(v);
    }
    return out;
  }
  throw new Error(`canonical JSON: cannot represent a ${typeof value}`);
}
