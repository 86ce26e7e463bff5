/**
 * Request bodies are checked here before they reach the database. From the metadata, one JSON
 * Schema per catalog and per document (system fields, attributes by type, tabular parts as
 * arrays of rows, `additionalProperties: false` everywhere) and one per independent
 * information register (records to write, keys to delete). They are compiled once per
 * configuration with ajv and cached. A failure becomes a 400 whose `field` is the path of the
 * first error ("Items[3].Quantity", lines 1-based as everywhere in the API) and whose message
 * says in Russian what is wrong. Read-only fields the API hands out (`refs`, `presentation`,
 * `signed`, a row's `line`) are accepted so the client can send back what it got, and dropped.
 * `id` and `posted` are not dropped silently: `id` is accepted only on a write to that very
 * object (PUT /…/:id, equal to the address's id — what a read handed out) and refused on a
 * create; `posted` is always refused (a document is posted by …/post or ?post=true, unposted by
 * …/unpost), each with a 400 naming the field. A date-only field takes 'YYYY-MM-DD' or that
 * day's midnight; any other time is refused, not dropped (values.ts).
 */
import { Decimal } from "decimal.js";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type {
  CatalogMeta,
  Configuration,
  DocumentMeta,
  Field,
  InformationRegisterMeta,
  TypeDef,
} from "../metadata/types.ts";
import { systemFields, type ObjMeta, type Row } from "../storage/objects.ts";
import { parseDateText, toDecimal, UUID_RE } from "../storage/values.ts";
import { AppError } from "../errors.ts";
import { badCharacter } from "./text.ts";
import { typeText } from "../metadata/types-parse.ts";

type Schema = Record<string, unknown>;

/** Fields the API returns and accepts back, but never writes (`id` and `posted` are checked: checkIdAndPosted). */
const IGNORED_HEADER = ["id", "posted", "refs", "presentation", "signed", "allowedTransitions"];
const MAX_ROWS = 100_000;
const SYSTEM_TITLES: Record<string, string> = {
  code: "Код",
  name: "Наименование",
  parent: "Родитель",
  isFolder: "Это группа",
  deletionMark: "Пометка удаления",
  number: "Номер",
  date: "Дата",
  comment: "Комментарий",
};

/** The schema of one value of a metadata type; `title` is the user's name of the field. */
export function valueSchema(conf: Configuration, t: TypeDef, title: string): Schema {
  const base = { title, description: typeText(t) };
  switch (t.kind) {
    case "string":
      return { ...base, type: ["string", "null"], maxLength: t.length, text: true };
    case "number":
      return { ...base, type: ["number", "string", "null"], decimal: [t.precision, t.scale] };
    case "boolean":
      return { ...base, type: ["boolean", "null"] };
    case "date":
      return { ...base, type: ["string", "null"], format: "date1c" };
    case "datetime":
      return { ...base, type: ["string", "null"], format: "datetime1c" };
    case "ref":
      if (t.target === "enum")
        return {
          ...base,
          type: ["string", "null"],
          enum: [...(conf.enums.get(t.name)?.values.map((v) => v.name) ?? []), "", null],
        };
      return { ...base, type: ["string", "null"], format: "ref" };
  }
}

function fieldsSchema(conf: Configuration, fields: Field[]): Record<string, Schema> {
  return Object.fromEntries(fields.map((f) => [f.name, valueSchema(conf, f.type, f.synonym)]));
}

const ownerPhrase = (m: ObjMeta) => (m.kind === "catalog" ? `у справочника ${m.name}` : `у документа ${m.name}`);
const ownerGenitive = (m: ObjMeta) => (m.kind === "catalog" ? `справочника ${m.name}` : `документа ${m.name}`);

/** The JSON Schema of a catalog item or a document as the API accepts it (POST and PUT). */
export function objectSchema(conf: Configuration, m: CatalogMeta | DocumentMeta): Schema {
  const properties: Record<string, Schema> = {};
  for (const f of systemFields(m)) {
    if (IGNORED_HEADER.includes(f.name)) continue;
    properties[f.name] =
      f.name === "version"
        ? { title: "Версия", type: ["integer", "null"], minimum: 0 }
        : valueSchema(conf, f.type, SYSTEM_TITLES[f.name] ?? f.name);
  }
  for (const name of IGNORED_HEADER) properties[name] = {};
  Object.assign(properties, fieldsSchema(conf, m.attributes));
  for (const tp of m.tabularParts) {
    properties[tp.name] = {
      title: tp.synonym,
      type: "array",
      maxItems: MAX_ROWS,
      items: {
        type: "object",
        "x-owner": `в табличной части ${tp.name} ${ownerGenitive(m)} нет такой колонки`,
        additionalProperties: false,
        properties: { line: {}, ...fieldsSchema(conf, tp.attributes) },
      },
    };
  }
  return {
    type: "object",
    "x-owner": `${ownerPhrase(m)} нет такого реквизита`,
    additionalProperties: false,
    properties,
  };
}

/** Records of an independent information register: {records: [{period?, dimensions…, resources…}]}. */
export function recordsSchema(conf: Configuration, r: InformationRegisterMeta): Schema {
  const props: Record<string, Schema> = {};
  if (r.periodicity !== "none") props.period = valueSchema(conf, { kind: "date" }, "Период");
  Object.assign(props, fieldsSchema(conf, [...r.dimensions, ...r.resources, ...r.attributes]));
  return {
    type: "object",
    "x-owner": "в запросе нет такого поля (ожидается records)",
    additionalProperties: false,
    required: ["records"],
    properties: {
      records: {
        title: "Записи",
        type: "array",
        maxItems: MAX_ROWS,
        items: {
          type: "object",
          "x-owner": `у регистра сведений ${r.name} нет такого измерения, ресурса или реквизита`,
          additionalProperties: false,
          properties: props,
        },
      },
    },
  };
}

/** Keys to delete from an independent information register: {keys: [{period?, dimensions…}]}. */
export function keysSchema(conf: Configuration, r: InformationRegisterMeta): Schema {
  const props: Record<string, Schema> = {};
  if (r.periodicity !== "none") props.period = valueSchema(conf, { kind: "date" }, "Период");
  Object.assign(props, fieldsSchema(conf, r.dimensions));
  return {
    type: "object",
    "x-owner": "в запросе нет такого поля (ожидается keys)",
    additionalProperties: false,
    required: ["keys"],
    properties: {
      keys: {
        title: "Ключи",
        type: "array",
        maxItems: MAX_ROWS,
        items: {
          type: "object",
          "x-owner": `у регистра сведений ${r.name} нет такого измерения`,
          additionalProperties: false,
          properties: props,
        },
      },
    },
  };
}

/** Why a number does not fit number(p,s); null when it does. */
function decimalProblem(data: unknown, precision: number, scale: number): string | null {
  if (data === "") return null;
  const d = toDecimal(data);
  if (!d) return `ожидается число, получено ${JSON.stringify(data)}`;
  if (d.decimalPlaces() > scale) return `не более ${scale} знаков после запятой (получено ${d.toString()})`;
  if (d.abs().gte(new Decimal(10).pow(precision - scale)))
    return `число ${d.toString()} не помещается в ${precision - scale} знаков до запятой`;
  return null;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: false, verbose: true, allowUnionTypes: true, strict: true });
  ajv.addVocabulary(["x-owner"]);
  ajv.addFormat("date1c", {
    type: "string",
    validate: (s: string) => s === "" || parseDateText(s, false, true) !== null,
  });
  ajv.addFormat("datetime1c", {
    type: "string",
    validate: (s: string) => s === "" || parseDateText(s, true, true) !== null,
  });
  ajv.addFormat("ref", { type: "string", validate: (s: string) => s === "" || UUID_RE.test(s) });
  const check = function (schema: [number, number], data: unknown, parent?: Schema): boolean {
    const why = decimalProblem(data, schema[0], schema[1]);
    if (why)
      (check as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: "decimal", message: why, params: { title: parent?.title } },
      ];
    return why === null;
  };
  ajv.addKeyword({
    keyword: "decimal",
    type: ["number", "string"],
    schemaType: "array",
    errors: true,
    validate: check,
  });
  // Text without NUL, control, invisible or direction-override characters and lone surrogates (text.ts).
  const text = function (_schema: boolean, data: unknown, parent?: Schema): boolean {
    const why = typeof data === "string" ? badCharacter(data) : null;
    if (why)
      (text as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: "text", message: why, params: { title: parent?.title } },
      ];
    return why === null;
  };
  ajv.addKeyword({ keyword: "text", type: "string", schemaType: "boolean", errors: true, validate: text });
  return ajv;
}

export interface Validators {
  catalogs: Map<string, ValidateFunction>;
  documents: Map<string, ValidateFunction>;
  records: Map<string, ValidateFunction>;
  keys: Map<string, ValidateFunction>;
  constants: Map<string, ValidateFunction>;
}

const cache = new WeakMap<Configuration, Validators>();

/** Compiles every body schema of the configuration once (createApp calls this at start). */
export function validators(conf: Configuration): Validators {
  let v = cache.get(conf);
  if (v) return v;
  const ajv = newAjv();
  v = { catalogs: new Map(), documents: new Map(), records: new Map(), keys: new Map(), constants: new Map() };
  for (const m of conf.catalogs.values()) v.catalogs.set(m.name, ajv.compile(objectSchema(conf, m)));
  for (const m of conf.documents.values()) v.documents.set(m.name, ajv.compile(objectSchema(conf, m)));
  for (const r of conf.informationRegisters.values()) {
    if (r.writeMode !== "independent") continue;
    v.records.set(r.name, ajv.compile(recordsSchema(conf, r)));
    v.keys.set(r.name, ajv.compile(keysSchema(conf, r)));
  }
  for (const c of conf.constants.values()) {
    v.constants.set(
      c.name,
      ajv.compile({
        type: "object",
        "x-owner": "ожидается только value",
        additionalProperties: false,
        required: ["value"],
        properties: { value: valueSchema(conf, c.type, c.synonym) },
      }),
    );
  }
  cache.set(conf, v);
  return v;
}

/** "/Items/2/Quantity" -> "Items[3].Quantity" (array indexes become 1-based line numbers). */
export function fieldPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(seg) && out) out += `[${Number(seg) + 1}]`;
    else out += (out ? "." : "") + seg;
  }
  return out;
}

const TYPE_RU: Record<string, string> = {
  string: "строка",
  number: "число",
  integer: "целое число",
  boolean: "true или false",
  object: "объект",
  array: "массив",
  null: "null",
};

/** What a field wants, in words: "число", "ссылка catalog.Units (UUID)", "массив строк"… */
function expected(ps: Schema, type: string): string {
  const d = String(ps.description ?? "");
  if (d.startsWith("number(")) return "число";
  if (d === "date" || d === "datetime") return "дата (строка)";
  if (/^(catalog|document)\./.test(d)) return `ссылка ${d} (UUID)`;
  if (d.startsWith("enum.")) return `значение перечисления ${d.slice(5)}`;
  const types = type.split(",").filter((t) => t !== "null" || type === "null");
  if (types[0] === "array") return "массив строк";
  return types.map((t) => TYPE_RU[t] ?? t).join(" или ");
}

/** One ajv error as the API's 400. */
export function bodyError(e: ErrorObject): AppError {
  const path = fieldPath(e.instancePath);
  const ps = (e.parentSchema ?? (e.params?.title ? { title: e.params.title } : {})) as Schema;
  const label = path ? `${path}${ps.title && ps.title !== path ? ` («${ps.title}»)` : ""}` : "Тело запроса";
  let got: string | undefined;
  try {
    got = JSON.stringify(e.data);
  } catch {
    got = "(слишком глубоко вложенное значение)"; // a hostile body nested thousands deep
  }
  const gotShort = got === undefined ? "ничего" : got.length > 60 ? got.slice(0, 57) + "..." : got;
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(e.params.additionalProperty);
      return new AppError(
        400,
        "unknown_field",
        `Неизвестное поле ${name}: ${ps["x-owner"] ?? "такого поля нет"}`,
        path ? `${path}.${name}` : name,
      );
    }
    case "required": {
      const name = String(e.params.missingProperty);
      return new AppError(400, "bad_request", `Не указано поле ${name}`, path ? `${path}.${name}` : name);
    }
    case "type": {
      return new AppError(
        400,
        "invalid_value",
        `${label}: ожидается ${expected(ps, String(e.params.type))}, получено ${gotShort}`,
        path || undefined,
      );
    }
    case "maxLength":
      return new AppError(400, "invalid_value", `${label}: строка длиннее ${e.params.limit} символов`, path);
    case "decimal":
    case "text":
      return new AppError(400, "invalid_value", `${label}: ${e.message}`, path);
    case "format": {
      const what =
        e.params.format === "ref"
          ? `ссылка ${ps.description} (UUID)`
          : e.params.format === "date1c"
            ? "дата ГГГГ-ММ-ДД (без времени)"
            : "дата и время ГГГГ-ММ-ДДTчч:мм:сс";
      return new AppError(400, "invalid_value", `${label}: ожидается ${what}, получено ${gotShort}`, path);
    }
    case "enum": {
      const allowed = (e.params.allowedValues as unknown[]).filter((x) => x !== "" && x !== null).join(", ");
      return new AppError(
        400,
        "invalid_value",
        `${label}: значение ${gotShort} не входит в перечисление ${String(ps.description ?? "").replace(/^enum\./, "")} (допустимо: ${allowed})`,
        path,
      );
    }
    case "maxItems":
      return new AppError(400, "invalid_value", `${label}: не более ${e.params.limit} строк`, path);
    case "minimum":
      return new AppError(400, "invalid_value", `${label}: не меньше ${e.params.limit}`, path);
    default:
      return new AppError(400, "invalid_value", `${label}: ${e.message ?? "неверное значение"}`, path || undefined);
  }
}

function check(v: ValidateFunction, body: unknown): void {
  if (!v(body)) throw bodyError(v.errors![0]);
}

/**
 * `id` and `posted` of a body: `id` only on a write of an existing object (`urlId`, the
 * address's id) and equal to it; `posted` never — neither is ignored silently.
 */
function checkIdAndPosted(m: CatalogMeta | DocumentMeta, body: unknown, urlId: string | undefined): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return;
  const b = body as Row;
  // null claims nothing (no id yet, no state): taken as not given.
  if (b.posted !== undefined && b.posted !== null) {
    throw new AppError(
      400,
      "read_only_field",
      m.kind === "document"
        ? `Поле posted не записывается: документ проводят командой «Провести» (POST /api/documents/${m.name}/:id/post или запись с ?post=true), проведение отменяют POST /api/documents/${m.name}/:id/unpost`
        : `Поле posted не записывается: у справочника ${m.name} его нет`,
      "posted",
    );
  }
  if (b.id === undefined || b.id === null) return;
  if (urlId === undefined)
    throw new AppError(
      400,
      "read_only_field",
      "Поле id не задается при создании: идентификатор нового объекта назначает сервер",
      "id",
    );
  if (typeof b.id !== "string" || b.id.toLowerCase() !== urlId.toLowerCase()) {
    const given = typeof b.id === "string" ? b.id.slice(0, 60) : JSON.stringify(b.id)?.slice(0, 60);
    throw new AppError(
      400,
      "read_only_field",
      `Поле id (${given}) не совпадает с идентификатором в адресе (${urlId}): идентификатор объекта изменить нельзя`,
      "id",
    );
  }
}

/**
 * Validates a catalog or document body; returns a copy without the read-only fields. `urlId`
 * is the address's id on a write of an existing object (undefined on a create): a body's `id`
 * must equal it.
 */
export function validObjectBody(
  conf: Configuration,
  m: CatalogMeta | DocumentMeta,
  body: unknown,
  urlId?: string,
): Row {
  const vs = validators(conf);
  const v = (m.kind === "catalog" ? vs.catalogs : vs.documents).get(m.name);
  if (!v) throw new Error(`no body schema for ${m.kind} ${m.name}`);
  checkIdAndPosted(m, body, urlId);
  check(v, body);
  const out: Row = { ...(body as Row) };
  for (const k of IGNORED_HEADER) delete out[k];
  for (const tp of m.tabularParts) {
    if (Array.isArray(out[tp.name])) out[tp.name] = (out[tp.name] as Row[]).map(({ line: _line, ...rest }) => rest);
  }
  return out;
}

/** Validates {value} of a constant; returns the value. */
export function validConstantBody(conf: Configuration, name: string, body: unknown): unknown {
  const v = validators(conf).constants.get(name);
  if (!v) throw new Error(`no body schema for constant ${name}`);
  check(v, body);
  return (body as { value: unknown }).value;
}

/** Validates {records: [...]} or {keys: [...]} of an independent information register. */
export function validRegisterBody(
  conf: Configuration,
  r: InformationRegisterMeta,
  what: "records" | "keys",
  body: unknown,
): Row[] {
  const v = validators(conf)[what].get(r.name);
  if (!v)
    throw new AppError(
      409,
      "recorder_register",
      `Регистр сведений ${r.name} записывается документами-регистраторами: записывать и удалять его записи напрямую нельзя`,
    );
  check(v, body);
  return (body as Record<string, Row[]>)[what];
}
