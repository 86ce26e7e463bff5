/**
 * Values of cells by type: how a stored value is shown (Russian formats, presentations of
 * references and enum synonyms) and how a typed or pasted text becomes a value. Values stay
 * what the API uses: numbers as decimal strings with the column's scale ("2.5000"), dates as
 * "YYYY-MM-DD", enums by value name, references by uuid, booleans as booleans.
 */
import { Decimal } from "decimal.js";
import { isDate } from "../../../server/calendar.ts";
import { formatDate, formatNumber, parseDate, parseNumber } from "../../../server/format.ts";
import { t } from "../i18n/index.ts";
import { enumOf, type FieldMeta, type Metadata, type Refs, type TypeDef } from "../widgets/types.ts";

export type Parsed = { value: unknown } | { error: string };

export const isBlank = (v: unknown) => v === null || v === undefined || v === "";

/** The text a cell shows. */
export function displayValue(
  type: TypeDef | undefined,
  v: unknown,
  refs: Refs,
  md?: Metadata,
  decimals?: number,
): string {
  if (isBlank(v)) return "";
  if (!type) return decimals !== undefined ? formatNumber(v, decimals) : String(v);
  switch (type.kind) {
    case "number":
      return formatNumber(v, decimals ?? type.scale);
    case "date":
      return formatDate(v);
    case "datetime":
      return formatDateTime(v);
    case "boolean":
      return v ? t("tabular.yes") : t("tabular.no");
    case "ref":
      if (type.target === "enum") return enumOf(md, type.name)?.values.find((x) => x.name === v)?.synonym ?? String(v);
      return refs[String(v)] ?? `<${String(v).slice(0, 8)}…>`;
    default:
      return String(v);
  }
}

function formatDateTime(v: unknown): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(String(v));
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}:${m[6] ?? "00"}` : formatDate(v);
}

/** The text an editor starts with: like the display, but numbers without thousand spaces. */
export function editText(type: TypeDef, v: unknown, refs: Refs, md?: Metadata): string {
  if (isBlank(v)) return "";
  if (type.kind === "number") return formatNumber(v, { places: type.scale, thousands: "" });
  return displayValue(type, v, refs, md);
}

/** A number typed or pasted, normalised to the scale; too many integer digits is an error. */
export function parseDecimal(text: string, precision: number, scale: number): Parsed {
  const s = parseNumber(text);
  if (s === null) return { error: t("tabular.err.number", { text }) };
  if (s === "") return { value: null };
  const d = new Decimal(s);
  const fixed = d.toFixed(scale);
  const intDigits = fixed.replace(/^-/, "").split(".")[0].replace(/^0+/, "").length;
  if (intDigits > precision - scale) return { error: t("tabular.err.digits", { text, n: precision - scale }) };
  return { value: fixed };
}

const TRUE = ["да", "true", "1", "истина", "+", "x", "х", "yes", "y", "д"];
const FALSE = ["нет", "false", "0", "ложь", "-", "no", "n", "н", ""];

/**
 * A text for a cell of any type except references (those need the server: see paste.ts and
 * the reference editor). Empty text empties the cell.
 */
export function parseText(field: FieldMeta, text: string, md?: Metadata): Parsed {
  const ty = field.type;
  const s = text.trim();
  switch (ty.kind) {
    case "number": {
      const p = parseDecimal(s, ty.precision, ty.scale);
      // the field's least value from the metadata (`min`), which posting checks too
      if ("value" in p && p.value !== null && field.min !== undefined && new Decimal(String(p.value)).lt(field.min))
        return { error: t("tabular.err.min", { text, name: field.synonym ?? field.name, min: field.min }) };
      return p;
    }
    case "date": {
      if (s === "") return { value: null };
      const d = parseDate(s);
      return d && isDate(d) ? { value: d } : { error: t("tabular.err.date", { text }) };
    }
    case "datetime": {
      if (s === "") return { value: null };
      const m = /^(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
      const d = m ? parseDate(m[1]) : null;
      if (!m || !d || !isDate(d)) return { error: t("tabular.err.date", { text }) };
      const hh = (m[2] ?? "0").padStart(2, "0"),
        mm = m[3] ?? "00",
        ss = m[4] ?? "00";
      if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return { error: t("tabular.err.date", { text }) };
      return { value: `${d}T${hh}:${mm}:${ss}` };
    }
    case "boolean": {
      const l = s.toLocaleLowerCase("ru");
      if (TRUE.includes(l)) return { value: true };
      if (FALSE.includes(l)) return { value: false };
      return { error: t("tabular.err.boolean", { text }) };
    }
    case "ref": {
      if (ty.target !== "enum") return { error: t("tabular.err.ref", { text }) };
      if (s === "") return { value: null };
      const l = s.toLocaleLowerCase("ru");
      const v = enumOf(md, ty.name)?.values.find(
        (x) => x.synonym.toLocaleLowerCase("ru") === l || x.name.toLowerCase() === l,
      );
      return v ? { value: v.name } : { error: t("tabular.err.enum", { text }) };
    }
    default: {
      if (ty.length && s.length > ty.length) return { error: t("tabular.err.length", { text, n: ty.length }) };
      return { value: text === "" ? null : text };
    }
  }
}

/** A computed result in the column's form: a decimal string with `decimals` digits, or null. */
export function normalizeComputed(v: unknown, decimals?: number): unknown {
  if (v === null || v === undefined || v === "") return null;
  if (v instanceof Decimal || typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v))) {
    try {
      const d = new Decimal(v as Decimal.Value);
      if (!d.isFinite()) return null;
      return decimals === undefined ? d.toString() : d.toFixed(decimals);
    } catch {
      return null;
    }
  }
  return v;
}
