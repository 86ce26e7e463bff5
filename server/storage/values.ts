/**
 * Values between the outside (JSON bodies, handler code) and the database, by metadata type.
 * - string: checked against its length; number: Decimal, checked against precision and scale
 *   (never a JS float: a JSON number is read through its decimal text); boolean; date
 *   'YYYY-MM-DD' (or that day's midnight 'YYYY-MM-DDT00:00:00': any other time is refused, not
 *   dropped); datetime 'YYYY-MM-DDTHH:MM:SS'; catalog/document reference: a UUID;
 *   enum: one of the enum's value names.
 * A bad value raises a UserError naming the field, so nothing is written.
 */
import { Decimal } from "decimal.js";
import type { Configuration, TypeDef } from "../metadata/types.ts";
import { UserError, type ErrorTarget } from "../errors.ts";
import { EMPTY_REF } from "./columns.ts";
import { isRealDate } from "../calendar.ts";
import { typeText } from "../metadata/types-parse.ts";

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

const validDate = isRealDate;

/**
 * Normalises a date or datetime text; returns null when it is not a real calendar date and
 * time (a time such as T99:99:99 is never dropped, always refused). A date (withTime false)
 * given with a time: `strict` (a date-only field's value from outside) takes only midnight;
 * otherwise the time is cut off (a period of an information register from a document's moment).
 */
export function parseDateText(v: string, withTime: boolean, strict = false): string | null {
  const m = (withTime ? DATETIME_RE : DATE_RE).exec(v) ?? (withTime ? DATE_RE.exec(v) : DATETIME_RE.exec(v));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDate(y, mo, d) || y < 1) return null;
  const datePart = `${m[1]}-${m[2]}-${m[3]}`;
  const hh = Number(m[4] ?? 0),
    mi = Number(m[5] ?? 0),
    ss = Number(m[6] ?? 0);
  if (hh > 23 || mi > 59 || ss > 59) return null;
  if (!withTime) return strict && hh + mi + ss !== 0 ? null : datePart;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${datePart}T${p(hh)}:${p(mi)}:${p(ss)}`;
}

export function toDecimal(v: unknown): Decimal | null {
  // isDecimal, not instanceof: configuration modules may hold another copy of decimal.js.
  if (Decimal.isDecimal(v)) return new Decimal((v as Decimal).toString());
  if (typeof v === "number") return Number.isFinite(v) ? new Decimal(String(v)) : null;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return new Decimal(v.trim());
  return null;
}

/**
 * Checks and converts one value for the database. null/undefined/"" of a non-string type
 * become null. `label` is the field's user name for messages; `target` where it points.
 */
export function toDb(conf: Configuration, t: TypeDef, value: unknown, label: string, target: ErrorTarget): unknown {
  const fail = (why: string) => new UserError(`${label}: ${why}`, target, "invalid_value");
  if (value === null || value === undefined) return null;
  switch (t.kind) {
    case "string": {
      if (typeof value !== "string") throw fail(`ожидается строка, получено ${JSON.stringify(value)}`);
      if ([...value].length > t.length) throw fail(`строка длиннее ${t.length} символов`);
      return value;
    }
    case "number": {
      if (value === "") return null;
      const d = toDecimal(value);
      if (!d) throw fail(`ожидается число, получено ${JSON.stringify(value)}`);
      if (d.decimalPlaces() > t.scale)
        throw fail(`не более ${t.scale} знаков после запятой (получено ${d.toString()})`);
      if (d.abs().gte(new Decimal(10).pow(t.precision - t.scale)))
        throw fail(`число ${d.toString()} не помещается в ${t.precision - t.scale} знаков до запятой`);
      return d.toFixed(t.scale);
    }
    case "boolean":
      if (typeof value !== "boolean") throw fail(`ожидается true или false, получено ${JSON.stringify(value)}`);
      return value;
    case "date":
    case "datetime": {
      if (value === "") return null;
      const s = typeof value === "string" ? parseDateText(value, t.kind === "datetime", true) : null;
      if (!s)
        throw fail(
          `ожидается ${t.kind === "date" ? "дата ГГГГ-ММ-ДД (без времени)" : "дата и время ГГГГ-ММ-ДДTчч:мм:сс"}, получено ${JSON.stringify(value)}`,
        );
      return s;
    }
    case "ref": {
      if (value === "") return null;
      if (t.target === "enum") {
        const e = conf.enums.get(t.name);
        if (typeof value !== "string" || !e?.values.some((x) => x.name === value))
          throw fail(
            `значение ${JSON.stringify(value)} не входит в перечисление ${t.name} (допустимо: ${e?.values.map((x) => x.name).join(", ")})`,
          );
        return value;
      }
      if (typeof value === "object" && value && "id" in value) value = (value as { id: unknown }).id;
      if (typeof value !== "string" || !UUID_RE.test(value))
        throw fail(`ожидается ссылка (${typeText(t)}: UUID), получено ${JSON.stringify(value)}`);
      return value.toLowerCase() === EMPTY_REF ? null : value.toLowerCase();
    }
  }
}

/** A database value as the handler code sees it: numbers become Decimal, the rest stays. */
export function forCode(t: TypeDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (t.kind === "number") return new Decimal(v as string);
  if (t.kind === "ref" && t.target !== "enum" && v === EMPTY_REF) return null;
  return v;
}

/** A database value as JSON: numbers stay decimal strings with their scale. */
export function forJson(t: TypeDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (t.kind === "number")
    return Decimal.isDecimal(v) ? new Decimal((v as Decimal).toString()).toFixed(t.scale) : String(v);
  if (t.kind === "ref" && t.target !== "enum" && v === EMPTY_REF) return null;
  return v;
}
