/**
 * Checks the parameters a render request sends against the form's manifest and converts them to
 * what its data module gets: dates 'YYYY-MM-DD', months 'YYYY-MM-01', integers as numbers,
 * numbers as Decimal, booleans, strings, references as lower-case UUIDs (null when empty),
 * enums as value names. A bad or unknown parameter is a 400 naming it in `field` (a date or
 * month after LAST_MONTH a 422); a reference
 * to an object that does not exist is a 400 as well (refsExist, inside the request's
 * transaction).
 */
import { Decimal } from "decimal.js";
import type { QueryApi } from "../api.ts";
import type { Configuration } from "../metadata/types.ts";
import { isRealDate } from "../calendar.ts";
import { AppError, badRequest } from "../errors.ts";
import { UUID_RE } from "../storage/values.ts";
import type { Manifest, ReportParameter } from "./manifest.ts";

export type ReportParams = Record<string, any>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIDNIGHT = /^T00:00(:00(\.0{1,6})?)?Z?$/;

const validDate = (y: number, m: number, d: number): boolean => isRealDate(y, m, d) && y >= 1900;

/** A given value for a message: short, and never a stack overflow on a deeply nested one. */
function shown(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = "(слишком глубоко вложенное значение)";
  }
  if (s === undefined) return String(v);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

/**
 * The last month a date or month parameter may fall in: a form reads the period's end or the
 * next month (9999-12 would need 10000-01, which has no 'YYYY-MM-DD' form).
 */
export const LAST_MONTH = "9999-11";

function convert(p: ReportParameter, v: unknown, conf: Configuration): unknown {
  const bad = (what: string) => badRequest(`Параметр «${p.title}» (${p.name}): ${what}, получено ${shown(v)}`, p.name);
  const tooLate = (ym: string) => {
    if (ym > LAST_MONTH)
      throw new AppError(
        422,
        "out_of_range",
        `Параметр «${p.title}» (${p.name}): не позже ноября 9999 г. (${LAST_MONTH}), получено ${shown(v)}`,
        p.name,
      );
  };
  const t = p.parsed;
  switch (t.kind) {
    case "string":
      if (typeof v !== "string") throw bad("ожидается строка");
      if (v.length > 1000) throw bad("строка длиннее 1000 символов");
      return v;
    case "boolean":
      if (v === true || v === "true") return true;
      if (v === false || v === "false") return false;
      throw bad("ожидается true или false");
    case "integer":
    case "number": {
      const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw bad(t.kind === "integer" ? "ожидается целое число" : "ожидается число");
      const d = new Decimal(text);
      if (t.kind === "integer" && !d.isInteger()) throw bad("ожидается целое число");
      if (p.min !== undefined && d.lt(p.min)) throw bad(`не меньше ${p.min}`);
      if (p.max !== undefined && d.gt(p.max)) throw bad(`не больше ${p.max}`);
      if (t.kind === "integer" && d.abs().gt(Number.MAX_SAFE_INTEGER)) throw bad("слишком большое число");
      return t.kind === "integer" ? d.toNumber() : d;
    }
    case "date": {
      // 'YYYY-MM-DD', or with a midnight time ('T00:00', 'T00:00:00', 'T00:00:00.000Z'): another time is refused, not dropped.
      const m = typeof v === "string" ? DATE.exec(v.slice(0, 10)) : null;
      if (
        !m ||
        !validDate(+m[1], +m[2], +m[3]) ||
        ((v as string).length > 10 && !MIDNIGHT.test((v as string).slice(10)))
      )
        throw bad("ожидается дата ГГГГ-ММ-ДД");
      tooLate(`${m[1]}-${m[2]}`);
      return (v as string).slice(0, 10);
    }
    case "month": {
      const m = typeof v === "string" ? /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(v) : null;
      if (!m || !validDate(+m[1], +m[2], m[3] ? +m[3] : 1)) throw bad("ожидается месяц ГГГГ-ММ");
      tooLate(`${m[1]}-${m[2]}`);
      return `${m[1]}-${m[2]}-01`;
    }
    case "ref": {
      if (t.target === "enum") {
        const e = conf.enums.get(t.name)!;
        if (typeof v !== "string" || !e.values.some((x) => x.name === v))
          throw bad(`ожидается одно из значений ${e.values.map((x) => x.name).join(", ")}`);
        return v;
      }
      if (typeof v !== "string" || !UUID_RE.test(v)) throw bad("ожидается идентификатор (UUID)");
      return v.toLowerCase();
    }
  }
}

/** The request's parameters checked and converted; defaults applied; unknown names refused. */
export function checkParams(m: Manifest, body: unknown, conf: Configuration): ReportParams {
  if (body === undefined || body === null) body = {};
  if (typeof body !== "object" || Array.isArray(body))
    throw badRequest("Параметры отчета — JSON-объект { имя: значение }");
  const given = body as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!m.parameters.some((p) => p.name === k))
      throw badRequest(
        `У формы «${m.title}» нет параметра «${k}»; есть: ${m.parameters.map((p) => p.name).join(", ") || "никаких"}`,
        k,
      );
  }
  const out: ReportParams = {};
  for (const p of m.parameters) {
    let v = given[p.name];
    if (v === undefined || v === null || v === "") v = p.default;
    if (v === undefined || v === null || v === "") {
      if (p.required) throw badRequest(`Не задан параметр «${p.title}» (${p.name})`, p.name);
      out[p.name] = null;
      continue;
    }
    out[p.name] = convert(p, v, conf);
  }
  return out;
}

/** Every catalog or document reference among the values names an existing object. */
export async function refsExist(ctx: QueryApi, m: Manifest, values: ReportParams): Promise<void> {
  for (const p of m.parameters) {
    const t = p.parsed;
    if (t.kind !== "ref" || t.target === "enum" || values[p.name] == null) continue;
    const found = await ctx.query(t.target, t.name, { id: values[p.name] }, 1);
    if (found.length === 0)
      throw badRequest(
        `Параметр «${p.title}» (${p.name}): нет объекта ${t.target}.${t.name} с id ${values[p.name]}`,
        p.name,
      );
  }
}
