/**
 * The manifest of a printed form (reports/<name>/manifest.yaml): its Russian title, what it
 * applies to (a catalog or document kind whose form offers it, or standalone), its parameters
 * with types, the page, the repeated part a batch is split by, and the CSV columns. Checked on
 * discovery against the configuration: an error names the file and the path inside it.
 *
 *   title: Оборотно-сальдовая ведомость
 *   appliesTo: standalone                    # or a list: - { object: catalog.X, parameter: x }
 *   parameters:
 *     - { name: period, title: Период, type: month, required: true }
 *     - { name: building, title: Здание, type: catalog.Buildings }
 *   page: { size: A4, orientation: landscape, margin: 10mm }
 *   repeat: items                            # the context array split into chunks for PDF
 *   csv: { rows: rows, columns: [{ title: Сумма, value: amount, format: money }] }
 */
import { parse } from "yaml";
import type { Configuration } from "../metadata/types.ts";

export type ParamKind = "string" | "integer" | "number" | "boolean" | "date" | "month";
export type ParamType = { kind: ParamKind } | { kind: "ref"; target: "catalog" | "document" | "enum"; name: string };

export interface ReportParameter {
  name: string;
  title: string;
  /** The type as written: string, integer, number, boolean, date, month, catalog.X, document.X, enum.X. */
  type: string;
  parsed: ParamType;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
}

export interface AppliesTo {
  /** "catalog.X" or "document.X": the object whose form offers this report. */
  object: string;
  /** The parameter that receives the object's id. */
  parameter: string;
}

export type CsvFormat = "text" | "money" | "quantity" | "integer" | "date" | "month";
export interface CsvColumn {
  title: string;
  value: string;
  format: CsvFormat;
}

export interface PageSetup {
  size: string;
  orientation: "portrait" | "landscape";
  margin: string;
}

export interface Manifest {
  name: string;
  title: string;
  description?: string;
  appliesTo: AppliesTo[];
  parameters: ReportParameter[];
  page: PageSetup;
  /** The key of the context's array that a batch PDF is split by (chunks of `chunk` items). */
  repeat?: string;
  chunk?: number;
  csv?: { rows: string; columns: CsvColumn[] };
}

export class ManifestError extends Error {}

const NAME = /^[a-z][a-z0-9-]*$/;
const PARAM = /^[A-Za-z][A-Za-z0-9]*$/;
const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const KINDS: ParamKind[] = ["string", "integer", "number", "boolean", "date", "month"];
const FORMATS: CsvFormat[] = ["text", "money", "quantity", "integer", "date", "month"];
const SIZES = ["A3", "A4", "A5", "Letter", "Legal"];
/** Folder names the routes use for themselves. */
export const RESERVED = new Set(["jobs"]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses and checks manifest.yaml text; `file` is how errors name it. */
export function parseManifest(text: string, name: string, file: string, conf: Configuration): Manifest {
  const fail = (path: string, msg: string): never => {
    throw new ManifestError(`${file}${path ? ": " + path : ""}: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    return fail("", `не YAML: ${(e as Error).message}`);
  }
  if (!isObj(raw)) return fail("", "ожидается объект с полями title, parameters…");
  const known = new Set(["name", "title", "description", "appliesTo", "parameters", "page", "repeat", "chunk", "csv"]);
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(k, `неизвестное поле; допустимы: ${[...known].join(", ")}`);
  if (!NAME.test(name)) fail("", `имя папки «${name}» — строчные латинские буквы, цифры и дефис`);
  if (RESERVED.has(name)) fail("", `имя «${name}» зарезервировано`);
  if (raw.name !== undefined && raw.name !== name)
    fail("name", `«${String(raw.name)}» не совпадает с именем папки «${name}»`);
  if (typeof raw.title !== "string" || !raw.title.trim()) fail("title", "нужно название формы");
  const str = (v: unknown, path: string, required = true): string | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || !v.trim()) return fail(path, "нужна непустая строка");
    return v;
  };

  const parameters: ReportParameter[] = [];
  if (raw.parameters !== undefined && !Array.isArray(raw.parameters)) fail("parameters", "ожидается список");
  for (const [i, p] of ((raw.parameters as unknown[]) ?? []).entries()) {
    const path = `parameters[${i}]`;
    if (!isObj(p)) return fail(path, "ожидается объект { name, title, type }");
    const pname = str(p.name, `${path}.name`)!;
    if (!PARAM.test(pname)) fail(`${path}.name`, `«${pname}» — латинские буквы и цифры`);
    if (parameters.some((x) => x.name === pname)) fail(`${path}.name`, `параметр «${pname}» уже объявлен`);
    const type = str(p.type, `${path}.type`)!;
    const parsed = parseParamType(type, conf);
    if (typeof parsed === "string") fail(`${path}.type`, parsed);
    for (const k of ["min", "max"] as const)
      if (p[k] !== undefined && typeof p[k] !== "number") fail(`${path}.${k}`, "ожидается число");
    parameters.push({
      name: pname,
      title: str(p.title, `${path}.title`, false) ?? pname,
      type,
      parsed: parsed as ParamType,
      required: p.required === true,
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(typeof p.min === "number" ? { min: p.min } : {}),
      ...(typeof p.max === "number" ? { max: p.max } : {}),
    });
  }

  const appliesTo: AppliesTo[] = [];
  if (raw.appliesTo !== undefined && raw.appliesTo !== "standalone") {
    if (!Array.isArray(raw.appliesTo))
      fail("appliesTo", "ожидается standalone или список { object: catalog.X, parameter: x }");
    for (const [i, a] of (raw.appliesTo as unknown[]).entries()) {
      const path = `appliesTo[${i}]`;
      if (!isObj(a)) return fail(path, "ожидается { object: catalog.X, parameter: x }");
      const object = str(a.object, `${path}.object`)!;
      const t = parseParamType(object, conf);
      if (typeof t === "string" || t.kind !== "ref" || t.target === "enum")
        return fail(`${path}.object`, `«${object}» — не справочник и не документ конфигурации`);
      const parameter = str(a.parameter, `${path}.parameter`)!;
      const p = parameters.find((x) => x.name === parameter);
      if (!p) fail(`${path}.parameter`, `нет параметра «${parameter}»`);
      else if (p.type !== object)
        fail(`${path}.parameter`, `параметр «${parameter}» имеет тип ${p.type}, а не ${object}`);
      appliesTo.push({ object, parameter });
    }
  }

  const page: PageSetup = { size: "A4", orientation: "portrait", margin: "10mm" };
  if (raw.page !== undefined) {
    if (!isObj(raw.page)) return fail("page", "ожидается { size, orientation, margin }");
    if (raw.page.size !== undefined)
      page.size = SIZES.includes(String(raw.page.size))
        ? String(raw.page.size)
        : fail("page.size", `одно из ${SIZES.join(", ")}`);
    if (raw.page.orientation !== undefined)
      page.orientation =
        raw.page.orientation === "landscape" || raw.page.orientation === "portrait"
          ? raw.page.orientation
          : fail("page.orientation", "portrait или landscape");
    if (raw.page.margin !== undefined)
      page.margin = /^\d+(\.\d+)?(mm|cm|in|pt)$/.test(String(raw.page.margin))
        ? String(raw.page.margin)
        : fail("page.margin", "размер вроде 10mm");
  }

  const m: Manifest = { name, title: raw.title as string, appliesTo, parameters, page };
  if (raw.description !== undefined) m.description = str(raw.description, "description");
  if (raw.repeat !== undefined) {
    const r = str(raw.repeat, "repeat")!;
    if (!PATH.test(r) || r.includes(".")) fail("repeat", "имя массива в контексте шаблона");
    m.repeat = r;
  }
  if (raw.chunk !== undefined) {
    if (!Number.isInteger(raw.chunk) || (raw.chunk as number) < 1 || (raw.chunk as number) > 5000)
      fail("chunk", "целое от 1 до 5000");
    m.chunk = raw.chunk as number;
  }
  if (raw.csv !== undefined) {
    if (!isObj(raw.csv)) return fail("csv", "ожидается { rows, columns }");
    const rows = str(raw.csv.rows, "csv.rows")!;
    if (!PATH.test(rows)) fail("csv.rows", "путь к массиву строк в контексте, например rows");
    if (!Array.isArray(raw.csv.columns) || raw.csv.columns.length === 0)
      return fail("csv.columns", "нужен список колонок");
    const columns = raw.csv.columns.map((c, i): CsvColumn => {
      const path = `csv.columns[${i}]`;
      if (!isObj(c)) return fail(path, "ожидается { title, value, format }");
      const value = str(c.value, `${path}.value`)!;
      if (!PATH.test(value)) fail(`${path}.value`, "путь к полю строки, например account.code");
      const format = (c.format ?? "text") as CsvFormat;
      if (!FORMATS.includes(format)) fail(`${path}.format`, `одно из ${FORMATS.join(", ")}`);
      return { title: str(c.title, `${path}.title`)!, value, format };
    });
    m.csv = { rows, columns };
  }
  return m;
}

/** A parameter type, or a message saying what is wrong with it. */
export function parseParamType(text: string, conf: Configuration): ParamType | string {
  if ((KINDS as string[]).includes(text)) return { kind: text as ParamKind };
  const m = /^(catalog|document|enum)\.([A-Za-z][A-Za-z0-9]*)$/.exec(text);
  if (!m) return `неизвестный тип «${text}»: ${KINDS.join(", ")}, catalog.Имя, document.Имя или enum.Имя`;
  const target = m[1] as "catalog" | "document" | "enum";
  const map = target === "catalog" ? conf.catalogs : target === "document" ? conf.documents : conf.enums;
  if (!map.has(m[2])) return `${target} «${m[2]}» нет в конфигурации`;
  return { kind: "ref", target, name: m[2] };
}
