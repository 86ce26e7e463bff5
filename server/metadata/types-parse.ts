/**
 * Parses the type strings of the metadata YAML: string(n), number(p,s), boolean, date, datetime,
 * catalog.X, document.X, enum.X. Returns a message instead of throwing so the loader can report
 * every problem at once.
 */
import type { TypeDef } from "./types.ts";

export const TYPE_PATTERN =
  "^(string\\(\\d+\\)|number\\(\\d+(,\\s*\\d+)?\\)|boolean|date|datetime|(catalog|document|enum)\\.[A-Za-z][A-Za-z0-9]*)$";

export function parseType(text: unknown): TypeDef | string {
  if (typeof text !== "string")
    return "type must be a string such as string(50), number(15,2), date or catalog.Products";
  const t = text.trim();
  let m = /^string\((\d+)\)$/.exec(t);
  if (m) {
    const length = Number(m[1]);
    if (length < 1 || length > 10000) return `string length ${length} is out of range 1..10000`;
    return { kind: "string", length };
  }
  m = /^number\((\d+)(?:,\s*(\d+))?\)$/.exec(t);
  if (m) {
    const precision = Number(m[1]);
    const scale = m[2] === undefined ? 0 : Number(m[2]);
    if (precision < 1 || precision > 38) return `number precision ${precision} is out of range 1..38`;
    if (scale > precision) return `number scale ${scale} is larger than its precision ${precision}`;
    return { kind: "number", precision, scale };
  }
  if (t === "boolean" || t === "date" || t === "datetime") return { kind: t };
  m = /^(catalog|document|enum)\.([A-Za-z][A-Za-z0-9]*)$/.exec(t);
  if (m) return { kind: "ref", target: m[1] as "catalog" | "document" | "enum", name: m[2] };
  return `unknown type "${t}": use string(n), number(p,s), boolean, date, datetime, catalog.Name, document.Name or enum.Name`;
}

export function typeText(t: TypeDef): string {
  switch (t.kind) {
    case "string":
      return `string(${t.length})`;
    case "number":
      return `number(${t.precision},${t.scale})`;
    case "ref":
      return `${t.target}.${t.name}`;
    default:
      return t.kind;
  }
}
