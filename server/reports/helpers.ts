/**
 * The Handlebars environment of printed forms: one isolated instance with the Russian
 * formatting helpers. Templates call them as
 *   {{money sum}}            13 996,24         {{money sum blank=true}}  empty for zero
 *   {{quantity volume 4}}    43,4205           {{quantity area 1}}       59,0
 *   {{date paid "dd.MM.yy"}} 24.11.11          {{date d}}                24.11.2011
 *   {{month period}}         Ноябрь 2011 г.    {{longDate d}}            24 ноября 2011 г.
 *   {{words total}}          Тринадцать тысяч … рублей 24 копейки
 *   {{qr text}}              the QR code of text, inline SVG (size="35mm"; img=true: a data-URL <img>)
 *   {{inc @index}}  {{#if (eq a b)}}  {{#if (gt a 0)}}  {{default x "—"}}
 * HELPERS lists the names: the template check (template.ts) refuses any other helper call.
 */
import Handlebars from "handlebars";
import { Decimal } from "decimal.js";
import { formatDate, formatLongDate, formatMonth, money, quantity, toDecimal } from "./format.ts";
import { amountInWords } from "./words.ts";
import { qrDataUrl, qrSvg } from "./qr.ts";

type Options = Handlebars.HelperOptions;
/** Handlebars passes its options object last: the helper's own arguments are the rest. */
const args = (a: unknown[]): { values: unknown[]; options: Options } => ({
  values: a.slice(0, -1),
  options: a[a.length - 1] as Options,
});

const escapeHtml = Handlebars.Utils.escapeExpression;

function compare(a: unknown, b: unknown): number {
  const x = toDecimal(a),
    y = toDecimal(b);
  if (x === null || y === null) throw new TypeError(`cannot compare ${String(a)} and ${String(b)}`);
  return x.comparedTo(y);
}

/** A helper as Handlebars calls it: the template's arguments, then its options object (types checked inside). */
type Helper = (...a: never[]) => unknown;

const helpers: Record<string, Helper> = {
  money(...a: unknown[]) {
    const { values, options } = args(a);
    const d = toDecimal(values[0]);
    if (options.hash.blank && (d === null || d.isZero())) return "";
    return money(d ?? 0);
  },
  quantity(...a: unknown[]) {
    const { values } = args(a);
    return quantity(values[0], values[1] === undefined ? undefined : Number(values[1]));
  },
  number(...a: unknown[]) {
    const { values } = args(a);
    return quantity(values[0], 0);
  },
  date(...a: unknown[]) {
    const { values } = args(a);
    return formatDate(values[0], typeof values[1] === "string" ? values[1] : undefined);
  },
  month: (v: unknown) => formatMonth(v),
  longDate: (v: unknown) => formatLongDate(v),
  words: (v: unknown) => (toDecimal(v) === null ? "" : amountInWords(toDecimal(v)!)),
  qr(...a: unknown[]) {
    const { values, options } = args(a);
    const text = values[0] == null ? "" : String(values[0]);
    if (!text) return "";
    const size = escapeHtml(String(options.hash.size ?? "35mm"));
    // Inline SVG by default: Chromium prints it twice as fast as an <img> (each SVG image is a
    // document of its own), and it stays vector in the PDF. img=true gives a data-URL <img>.
    if (options.hash.img)
      return new Handlebars.SafeString(
        `<img class="qr" style="width:${size};height:${size}" alt="QR" src="${qrDataUrl(text)}">`,
      );
    return new Handlebars.SafeString(
      qrSvg(text).replace("<svg ", `<svg class="qr" role="img" aria-label="QR" style="width:${size};height:${size}" `),
    );
  },
  inc: (v: unknown) => Number(v) + 1,
  eq: (a: unknown, b: unknown) => (a instanceof Decimal || b instanceof Decimal ? compare(a, b) === 0 : a === b),
  ne: (a: unknown, b: unknown) => a !== b,
  gt: (a: unknown, b: unknown) => compare(a, b) > 0,
  lt: (a: unknown, b: unknown) => compare(a, b) < 0,
  not: (a: unknown) => !a,
  and: (...a: unknown[]) => args(a).values.every(Boolean),
  or: (...a: unknown[]) => args(a).values.some(Boolean),
  default: (v: unknown, d: unknown) => (v === null || v === undefined || v === "" ? d : v),
};

export const BUILTIN_HELPERS = ["if", "unless", "each", "with", "lookup", "log", "blockHelperMissing", "helperMissing"];
export const HELPERS: readonly string[] = [...Object.keys(helpers), ...BUILTIN_HELPERS];

/** A fresh Handlebars environment with the helpers (one per engine; isolated from the global one). */
export function handlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, located(name, fn));
  return hb;
}

/** A helper's failure, with the template line of the call (Handlebars passes options.loc). */
export class HelperError extends Error {
  constructor(
    message: string,
    public line: number | undefined,
  ) {
    super(message);
  }
}

function located(name: string, fn: Helper) {
  return function (this: unknown, ...a: unknown[]) {
    try {
      return fn.apply(this, a as never[]);
    } catch (e) {
      const loc = (a[a.length - 1] as { loc?: { start?: { line?: number } } } | undefined)?.loc;
      throw new HelperError(`{{${name}}}: ${(e as Error).message}`, loc?.start?.line);
    }
  };
}
