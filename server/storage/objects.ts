/**
 * Rows of catalogs and documents with their tabular parts: the mapping between metadata names
 * (the API's and handlers' "Warehouse", "Items") and SQL columns, one-round-trip reads of an
 * object with all its tabular parts, set-based writes of tabular parts (unnest, one statement
 * per part whatever the row count), and reference checks. Used by catalogs/service.ts and
 * documents/service.ts, which add numbering, checks and posting on top.
 */

import { Decimal } from "decimal.js";
import { AppError, type ErrorTarget, notFound, type Problem, UserError, userErrors } from "../errors.ts";
import { accumulationStorages } from "../metadata/accounting.ts";
import type { CatalogMeta, Configuration, DocumentMeta, Field, TabularPart, TypeDef } from "../metadata/types.ts";
import { type Client, prepared } from "./db.ts";
import { accumTable, catalogTable, col, documentTable, infoTable, q, tabularTable } from "./naming.ts";
import { ormOf } from "./orm.ts";
import { forCode, forJson, toDb, UUID_RE } from "./values.ts";

export type ObjMeta = CatalogMeta | DocumentMeta;
export type Row = Record<string, any>;
export type Mode = "json" | "code";

/** A system field: its API name, column and type. */
export interface SysField {
  name: string;
  column: string;
  type: TypeDef;
  readOnly?: boolean;
}

export const tableOf = (m: ObjMeta) => (m.kind === "catalog" ? catalogTable(m.name) : documentTable(m.name));

export function systemFields(m: ObjMeta): SysField[] {
  const common: SysField[] = [
    { name: "id", column: "id", type: { kind: "string", length: 36 }, readOnly: true },
    { name: "version", column: "version", type: { kind: "number", precision: 10, scale: 0 } },
    { name: "deletionMark", column: "deletion_mark", type: { kind: "boolean" } },
  ];
  if (m.kind === "catalog") {
    const f: SysField[] = [...common];
    if (m.codeLength > 0) f.push({ name: "code", column: "code", type: { kind: "string", length: m.codeLength } });
    f.push({ name: "name", column: "name", type: { kind: "string", length: m.nameLength } });
    if (m.hierarchical) {
      f.push({ name: "parent", column: "parent", type: { kind: "ref", target: "catalog", name: m.name } });
      f.push({ name: "isFolder", column: "is_folder", type: { kind: "boolean" } });
    }
    return f;
  }
  return [
    ...common,
    { name: "number", column: "number", type: { kind: "string", length: m.numberLength } },
    { name: "date", column: "date", type: { kind: "datetime" } },
    { name: "posted", column: "posted", type: { kind: "boolean" }, readOnly: true },
    { name: "comment", column: "comment", type: { kind: "string", length: 1000 } },
  ];
}

/** Every header field (system first, then attributes) as {name, column, type}. */
export function headerFields(m: ObjMeta): SysField[] {
  return [...systemFields(m), ...m.attributes.map((a) => ({ name: a.name, column: col(a.name), type: a.type }))];
}

/** SQL that renders a column as JSON-safe text (numbers as text, never through a float). */
function jsonExpr(alias: string, f: { column: string; type: TypeDef }): string {
  const c = `${alias}.${q(f.column)}`;
  return f.type.kind === "number"
    ? `${c}::text`
    : f.type.kind === "datetime"
      ? `to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS')`
      : f.type.kind === "date"
        ? `${c}::text`
        : c;
}

function tpAggregate(m: ObjMeta, tp: TabularPart): string {
  const t = tabularTable(tableOf(m), tp.name);
  const pairs = [
    `'line', t.line`,
    ...tp.attributes.map((a) => `'${a.name}', ${jsonExpr("t", { column: col(a.name), type: a.type })}`),
  ];
  // json_build_object takes at most 100 arguments: chunk and merge.
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(", ")})`);
  return `(SELECT coalesce(jsonb_agg(${chunks.join(" || ")} ORDER BY t.line), '[]') FROM ${q(t)} t WHERE t.owner = h.id) AS ${q("tp_" + tp.name)}`;
}

export function convertRow(
  fields: { name: string; type: TypeDef }[],
  _src: Row,
  mode: Mode,
  from: (f: { name: string; column?: string }) => unknown,
): Row {
  const out: Row = {};
  for (const f of fields) out[f.name] = mode === "json" ? forJson(f.type, from(f)) : forCode(f.type, from(f));
  return out;
}

/** What objectSelect reads besides the header and its tabular parts. */
export interface SelectOptions {
  /** Also read what presentation() needs of every object the row refers to (readForApi's refs), resolved in this configuration. */
  refsIn?: Configuration;
  /** Further fields of the API object computed over the header aliased `h`: {name: SQL expression}. */
  extra?: Record<string, string>;
}

/**
 * `SELECT <header columns>, <tabular parts as JSON>[, <referenced objects as JSON>] FROM <source> h`:
 * one object with everything the API shows, in one round trip. The columns are named, so the
 * text changes with the metadata and can be prepared (storage/db.ts prepared).
 */
export function objectSelect(m: ObjMeta, source: string, opts: SelectOptions = {}): string {
  // Built once per object, source and options: a posting or a read asks for the same text each time.
  let texts = selectTexts.get(m);
  if (!texts) selectTexts.set(m, (texts = new Map()));
  const key = `${source}\u001f${opts.refsIn ? "refs" : ""}\u001f${JSON.stringify(opts.extra ?? {})}`;
  let text = texts.get(key);
  if (!text) texts.set(key, (text = selectText(m, source, opts)));
  return text;
}

const selectTexts = new WeakMap<ObjMeta, Map<string, string>>();

function selectText(m: ObjMeta, source: string, opts: SelectOptions): string {
  const columns = [
    ...cachedHeader(m).map((f) => `h.${q(f.column)}`),
    ...m.tabularParts.map((tp) => tpAggregate(m, tp)),
    ...(opts.refsIn ? referencedAggregates(opts.refsIn, m) : []),
    ...Object.entries(opts.extra ?? {}).map(([name, sql]) => `${sql} AS ${q("x_" + name)}`),
  ];
  return `SELECT ${columns.join(", ")} FROM ${source} h`;
}

/** The referenced objects' columns that presentation() reads, as JSON text of the row. */
function presentationColumns(target: ObjMeta): string {
  if (target.kind === "document") return `'number', x.number, 'date', to_char(x.date, 'YYYY-MM-DD"T"HH24:MI:SS')`;
  return `${target.codeLength > 0 ? "'code', x.code, " : ""}'name', x.name`;
}

/**
 * Per table the object refers to: `refs_<table>`, the referenced rows' ids and presentation
 * columns. `= ANY (ARRAY(…))` finds them by the primary key (an `IN (subquery)` was planned as
 * a hash join over the whole referenced table).
 */
function referencedAggregates(conf: Configuration, m: ObjMeta): string[] {
  const sources = new Map<string, { target: ObjMeta; ids: string[] }>();
  const add = (target: ObjMeta, ids: string) => {
    const table = tableOf(target);
    if (!sources.has(table)) sources.set(table, { target, ids: [] });
    sources.get(table)!.ids.push(ids);
  };
  for (const { field, table } of refFields(m)) {
    const target = refTarget(conf, field.type);
    if (!target) continue;
    const column = q(col(field.name));
    add(
      target,
      table
        ? `SELECT t.${column} FROM ${q(tabularTable(tableOf(m), table.name))} t WHERE t.owner = h.id`
        : `SELECT h.${column}`,
    );
  }
  if (m.kind === "catalog" && m.hierarchical) add(m, "SELECT h.parent");
  return [...sources].map(
    ([table, { target, ids }]) =>
      `(SELECT coalesce(jsonb_agg(jsonb_build_object('id', x.id, ${presentationColumns(target)})), '[]') FROM ${q(table)} x WHERE x.id = ANY (ARRAY(${ids.join(" UNION ")}))) AS ${q("refs_" + table)}`,
  );
}

/** The catalog or document a reference type points at. */
function refTarget(conf: Configuration, t: TypeDef): ObjMeta | undefined {
  if (t.kind !== "ref" || t.target === "enum") return undefined;
  return t.target === "catalog" ? conf.catalogs.get(t.name) : conf.documents.get(t.name);
}

/** Reads one object with its tabular parts in one round trip; `lock` takes FOR UPDATE on the header row. */
export async function readObject(c: Client, m: ObjMeta, id: string, mode: Mode, lock = false): Promise<Row> {
  if (!UUID_RE.test(id)) throw new UserError(`Неверный идентификатор «${id}»: ожидается UUID`, {}, "bad_id");
  const sql = `${objectSelect(m, q(tableOf(m)))} WHERE h.id = $1${lock ? " FOR UPDATE OF h" : ""}`;
  const r = await c.query(prepared(sql, [id]));
  if (r.rowCount === 0) throw notFound(`${m.synonym}: объект ${id} не найден`);
  return objectFromRow(m, r.rows[0], mode);
}

/** Header fields per metadata object, computed once (lists read thousands of rows). */
const headerCache = new WeakMap<ObjMeta, SysField[]>();
function cachedHeader(m: ObjMeta): SysField[] {
  let f = headerCache.get(m);
  if (!f) headerCache.set(m, (f = headerFields(m)));
  return f;
}

export function objectFromRow(m: ObjMeta, row: Row, mode: Mode): Row {
  const conv = mode === "json" ? forJson : forCode;
  const obj: Row = {};
  for (const f of cachedHeader(m)) obj[f.name] = conv(f.type, row[f.column]);
  if (obj.version != null) obj.version = Number(obj.version);
  for (const tp of m.tabularParts) {
    const rows: Row[] = row["tp_" + tp.name] ?? [];
    obj[tp.name] = rows.map((r) => ({ line: r.line, ...convertRow(tp.attributes, r, mode, (f) => r[f.name]) }));
  }
  return obj;
}

/**
 * A document body's header as a write stores it: its attributes (dbValues), the date (else
 * `defaultDate`; refused when empty), the comment and the number when given — for one write
 * (documents/service.ts) and a set posting (documents/post-many.ts) alike.
 */
export function documentHeaderValues(
  conf: Configuration,
  m: DocumentMeta,
  body: Row,
  defaultDate: unknown,
): { values: Map<string, unknown>; date: string } {
  const values = dbValues(conf, m.attributes, body, {}, m.name);
  const date = toDb(conf, { kind: "datetime" }, body.date ?? defaultDate, "Дата", { field: "date" }) as string | null;
  if (!date) throw new UserError("Не заполнена дата документа", { field: "date" }, "required");
  values.set("date", date);
  if ("comment" in body)
    values.set(
      "comment",
      toDb(conf, { kind: "string", length: 1000 }, body.comment ?? "", "Комментарий", { field: "comment" }) ?? "",
    );
  if (body.number != null && body.number !== "")
    values.set(
      "number",
      toDb(conf, { kind: "string", length: m.numberLength }, body.number, "Номер", { field: "number" }),
    );
  return { values, date };
}

/**
 * Checks and converts the attributes of a body (header or one tabular row) for the database.
 * Unknown names are refused; `partial` keeps absent names out (update), otherwise absent = null.
 */
export function dbValues(
  conf: Configuration,
  fields: Field[],
  body: Row,
  where: Omit<ErrorTarget, "field">,
  _owner: string,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of fields) {
    if (!(f.name in body)) continue;
    out.set(col(f.name), toDb(conf, f.type, body[f.name], f.synonym, { ...where, field: f.name }));
  }
  return out;
}

/**
 * Refuses a body that is not an object, names no known field, or gives a tabular part as
 * anything but an array. `presentation` and `refs` (what reads return) are tolerated.
 */
export function checkBodyShape(m: ObjMeta, body: Row): void {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new AppError(400, "bad_request", "Ожидается объект JSON");
  const known = new Set([
    ...systemFields(m).map((f) => f.name),
    "presentation",
    "refs",
    "signed",
    "allowedTransitions",
    ...m.attributes.map((a) => a.name),
    ...m.tabularParts.map((t) => t.name),
  ]);
  const what = m.kind === "catalog" ? "у справочника" : "у документа";
  for (const k of Object.keys(body)) {
    if (!known.has(k))
      throw new AppError(400, "unknown_field", `Неизвестное поле «${k}»: ${what} ${m.name} нет такого реквизита`, k);
  }
  for (const tp of m.tabularParts) {
    if (tp.name in body && !Array.isArray(body[tp.name]))
      throw new UserError(`${tp.synonym}: ожидается массив строк`, { table: tp.name }, "invalid_value");
  }
}

/**
 * One object as the API returns it — with its tabular parts, the presentations of its
 * references (`refs`) and the `extra` fields — in one round trip.
 */
export async function readForApi(
  c: Client,
  conf: Configuration,
  m: ObjMeta,
  id: string,
  extra: Record<string, string> = {},
): Promise<Row> {
  if (!UUID_RE.test(id)) throw new UserError(`Неверный идентификатор «${id}»: ожидается UUID`, {}, "bad_id");
  const r = await c.query(prepared(`${objectSelect(m, q(tableOf(m)), { refsIn: conf, extra })} WHERE h.id = $1`, [id]));
  if (r.rowCount === 0) throw notFound(`${m.synonym}: объект ${id} не найден`);
  return apiObjectFromRow(conf, m, r.rows[0], extra);
}

/** The API object of a row read by objectSelect with `refsIn` (and the same `extra`). */
export function apiObjectFromRow(conf: Configuration, m: ObjMeta, row: Row, extra: Record<string, string> = {}): Row {
  const obj = objectFromRow(m, row, "json");
  const refs: Record<string, string> = {};
  for (const key of Object.keys(row)) {
    if (!key.startsWith("refs_")) continue;
    const target = tableTargets(conf).get(key.slice(5))!;
    for (const referenced of row[key] as Row[]) refs[referenced.id] = presentation(target, referenced);
  }
  for (const name of Object.keys(extra)) obj[name] = row["x_" + name];
  return { ...obj, refs };
}

/** Catalogs and documents by table name, per configuration. */
const targetsByConf = new WeakMap<Configuration, Map<string, ObjMeta>>();
function tableTargets(conf: Configuration): Map<string, ObjMeta> {
  let map = targetsByConf.get(conf);
  if (!map) {
    map = new Map([...conf.catalogs.values(), ...conf.documents.values()].map((o) => [tableOf(o), o]));
    targetsByConf.set(conf, map);
  }
  return map;
}

/**
 * Refuses required fields left empty and numbers below their field's `min`, every one at once
 * (the first 100), each naming the row and the field.
 */
export function checkRequired(m: ObjMeta, obj: Row): void {
  const problems: Problem[] = [];
  for (const f of m.attributes) {
    if (f.required && isEmpty(obj[f.name]))
      problems.push({ message: `Не заполнено поле «${f.synonym}»`, target: { field: f.name } });
  }
  for (const tp of m.tabularParts) {
    const rows: Row[] = obj[tp.name] ?? [];
    rows.forEach((r, i) => {
      for (const f of tp.attributes) {
        if (f.required && isEmpty(r[f.name]))
          problems.push({
            message: `${tp.synonym}, строка ${i + 1}: не заполнено поле «${f.synonym}»`,
            target: { table: tp.name, line: i + 1, field: f.name },
          });
      }
    });
  }
  // every empty required field at once (the first 100: a form marks each, the message lists them)
  // a number below its field's least value (metadata `min`), as the form refuses it while typing
  const below = (f: Field, v: unknown) => f.min !== undefined && !isEmpty(v) && new Decimal(String(v)).lt(f.min);
  for (const f of m.attributes)
    if (below(f, obj[f.name]))
      problems.push({ message: `«${f.synonym}» не может быть меньше ${f.min}`, target: { field: f.name } });
  for (const tp of m.tabularParts)
    ((obj[tp.name] ?? []) as Row[]).forEach((r, i) => {
      for (const f of tp.attributes)
        if (below(f, r[f.name]))
          problems.push({
            message: `${tp.synonym}, строка ${i + 1}: «${f.synonym}» не может быть меньше ${f.min}`,
            target: { table: tp.name, line: i + 1, field: f.name },
          });
    });
  if (problems.length) throw userErrors(problems.slice(0, 100), "required");
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (typeof v === "object" && v !== null && "isZero" in v) return (v as { isZero(): boolean }).isZero();
  return false;
}

/** Replaces the rows of one tabular part: delete, then one INSERT … SELECT FROM unnest(arrays). */
/**
 * The database's refusal of a reference (SQLSTATE 23503) as the user's 409: a row naming an object
 * deleted meanwhile, or the deletion of an object a row came to name meanwhile (the reference keys
 * of tables.ts; the checks before writing cannot see another transaction's uncommitted rows).
 */
export function referenceRefused(e: unknown, message: string): unknown {
  return (e as { code?: string })?.code === "23503" ? new AppError(409, "referenced", message) : e;
}

const DELETED_MEANWHILE =
  "Объект, на который ссылается запись, только что удален другим пользователем: выберите другой и запишите снова";

/**
 * The first step of writing an existing object (catalog item or document): its stored row, locked
 * until the transaction ends; a body naming another version than the stored one is refused (409),
 * `describe` saying which object it is.
 */
export async function lockForWrite(
  c: Client,
  m: ObjMeta,
  id: string,
  body: Row,
  describe: (current: Row) => string,
): Promise<Row> {
  const current = await readObject(c, m, id, "json", true);
  if (body.version != null && Number(body.version) !== current.version)
    throw new AppError(
      409,
      "conflict",
      `${describe(current)} изменен другим пользователем (версия ${current.version}, у вас ${body.version}): перечитайте его`,
      "version",
    );
  return current;
}

/**
 * The header row written: an UPDATE of the given columns (and the version) for an existing
 * object, else an INSERT; returns the id. A unique key taken (the code or the number) is refused
 * with `taken`'s message naming it.
 */
export async function saveHeader(
  c: Client,
  m: ObjMeta,
  id: string | null,
  values: Map<string, unknown>,
  taken: () => AppError,
): Promise<string> {
  const orm = ormOf(c);
  const columns = Object.fromEntries(values);
  try {
    if (id) {
      await orm
        .createQueryBuilder()
        .update(tableOf(m))
        .set({ ...columns, version: () => "version + 1" })
        .where("id = :id", { id })
        .execute();
      return id;
    }
    const r = await orm.createQueryBuilder().insert().into(tableOf(m)).values(columns).returning("id").execute();
    return r.raw[0].id;
  } catch (e) {
    if ((e as { code?: string }).code === "23505") throw taken();
    throw referenceRefused(e, `${m.synonym}: ${DELETED_MEANWHILE}`);
  }
}

export async function writeTabularPart(
  c: Client,
  conf: Configuration,
  m: ObjMeta,
  tp: TabularPart,
  owner: string,
  rows: Row[],
): Promise<void> {
  const t = tabularTable(tableOf(m), tp.name);
  await c.query(`DELETE FROM ${q(t)} WHERE owner = $1`, [owner]);
  if (rows.length === 0) return;
  const columns = tp.attributes.map((a) => ({ a, values: [] as unknown[] }));
  const lines: number[] = [];
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object" || Array.isArray(r))
      throw new UserError(
        `${tp.synonym}, строка ${i + 1}: ожидается объект`,
        { table: tp.name, line: i + 1 },
        "invalid_value",
      );
    lines.push(i + 1);
    const v = dbValues(conf, tp.attributes, r, { table: tp.name, line: i + 1 }, m.name);
    for (const c2 of columns) c2.values.push(v.has(col(c2.a.name)) ? v.get(col(c2.a.name)) : null);
  });
  const arrType = (tdef: TypeDef) => {
    switch (tdef.kind) {
      case "string":
        return "text[]";
      case "number":
        return "numeric[]";
      case "boolean":
        return "boolean[]";
      case "date":
        return "date[]";
      case "datetime":
        return "timestamp[]";
      case "ref":
        return tdef.target === "enum" ? "text[]" : "uuid[]";
    }
  };
  const params: unknown[] = [owner, lines, ...columns.map((x) => x.values)];
  const colNames = ["owner", "line", ...columns.map((x) => col(x.a.name))].map(q).join(", ");
  const sel = ["$1::uuid", "u.line", ...columns.map((_, i) => `u.c${i}`)].join(", ");
  const unnest = ["$2::int[]", ...columns.map((x, i) => `$${i + 3}::${arrType(x.a.type)}`)].join(", ");
  const alias = ["line", ...columns.map((_, i) => `c${i}`)].join(", ");
  await c
    .query(`INSERT INTO ${q(t)} (${colNames}) SELECT ${sel} FROM unnest(${unnest}) AS u(${alias})`, params)
    .catch((e) => {
      throw referenceRefused(e, `${tp.synonym}: ${DELETED_MEANWHILE}`);
    });
}

/** All reference fields of an object (header and tabular parts) that point at catalogs/documents. */
function refFields(m: ObjMeta): { field: Field; table?: TabularPart }[] {
  const out: { field: Field; table?: TabularPart }[] = [];
  for (const f of m.attributes) if (f.type.kind === "ref" && f.type.target !== "enum") out.push({ field: f });
  for (const tp of m.tabularParts)
    for (const f of tp.attributes)
      if (f.type.kind === "ref" && f.type.target !== "enum") out.push({ field: f, table: tp });
  return out;
}

export function targetTable(t: TypeDef): string {
  if (t.kind !== "ref" || t.target === "enum") throw new Error("not an object reference");
  return t.target === "catalog" ? catalogTable(t.name) : documentTable(t.name);
}

/** Refuses references to objects that do not exist (one query per referenced table). */
export async function checkReferences(c: Client, conf: Configuration, m: ObjMeta, obj: Row): Promise<void> {
  await checkReferencesMany(c, conf, m, [obj]);
}

/**
 * checkReferences of many objects at once: one query per referenced table. A refusal names the
 * object's field as for one object; `item` on the error is the object's index when there are several.
 */
export async function checkReferencesMany(c: Client, _conf: Configuration, m: ObjMeta, objs: Row[]): Promise<void> {
  type Where = ErrorTarget & { label: string; item: number };
  const byTable = new Map<string, { ids: Set<string>; where: Map<string, Where> }>();
  let item = 0;
  const add = (t: TypeDef, v: unknown, target: ErrorTarget, label: string) => {
    if (typeof v !== "string") return;
    const table = targetTable(t);
    if (!byTable.has(table)) byTable.set(table, { ids: new Set(), where: new Map() });
    const e = byTable.get(table)!;
    e.ids.add(v);
    if (!e.where.has(v)) e.where.set(v, { ...target, label, item });
  };
  for (const [i, obj] of objs.entries()) {
    item = i;
    for (const { field, table } of refFields(m)) {
      if (!table) add(field.type, obj[field.name], { field: field.name }, field.synonym);
      else
        (obj[table.name] ?? []).forEach((r: Row, i: number) =>
          add(
            field.type,
            r?.[field.name],
            { table: table.name, line: i + 1, field: field.name },
            `${table.synonym}, строка ${i + 1}, ${field.synonym}`,
          ),
        );
    }
    if (m.kind === "catalog" && m.hierarchical && typeof obj.parent === "string")
      add({ kind: "ref", target: "catalog", name: m.name }, obj.parent, { field: "parent" }, "Родитель");
  }
  for (const [table, e] of byTable) {
    const ids = [...e.ids];
    const existing = await ormOf(c)
      .createQueryBuilder()
      .select("id")
      .from(table, "x")
      .where("id = ANY(:ids)", { ids })
      .getRawMany<{ id: string }>();
    const found = new Set(existing.map((x) => x.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing) {
      const { item: at, ...w } = e.where.get(missing)!;
      const err = new UserError(`${w.label}: объект ${missing} не существует`, w, "invalid_reference");
      throw objs.length > 1 ? Object.assign(err, { item: at }) : err;
    }
  }
}

/** Where an object is referenced from, as a message; null when nowhere. */
export async function findReference(
  c: Client,
  conf: Configuration,
  target: "catalog" | "document",
  name: string,
  id: string,
): Promise<string | null> {
  const probes: { sql: string; label: string }[] = [];
  const fieldProbe = (table: string, fields: Field[], label: string) => {
    for (const f of fields) {
      if (f.type.kind === "ref" && f.type.target === target && f.type.name === name)
        probes.push({ sql: `SELECT 1 FROM ${q(table)} WHERE ${q(col(f.name))} = $1`, label: `${label}, ${f.synonym}` });
    }
  };
  for (const o of [...conf.catalogs.values(), ...conf.documents.values()]) {
    fieldProbe(tableOf(o), o.attributes, o.synonym);
    for (const tp of o.tabularParts)
      fieldProbe(tabularTable(tableOf(o), tp.name), tp.attributes, `${o.synonym}, ${tp.synonym}`);
    if (o.kind === "catalog" && o.hierarchical && target === "catalog" && o.name === name)
      probes.push({ sql: `SELECT 1 FROM ${q(tableOf(o))} WHERE parent = $1`, label: `${o.synonym}, Родитель` });
  }
  for (const r of accumulationStorages(conf))
    fieldProbe(accumTable(r.name), [...r.dimensions, ...r.attributes], r.synonym);
  for (const r of conf.informationRegisters.values())
    fieldProbe(infoTable(r.name), [...r.dimensions, ...r.resources, ...r.attributes], r.synonym);
  if (target === "document") {
    for (const r of accumulationStorages(conf))
      probes.push({
        sql: `SELECT 1 FROM ${q(accumTable(r.name))} WHERE recorder = $1`,
        label: `${r.synonym} (движения документа)`,
      });
  }
  if (probes.length === 0) return null;
  // One round trip: the first probe that finds a row names the place.
  const sql = probes.map((p, i) => `SELECT ${i} AS i WHERE EXISTS(${p.sql})`).join(" UNION ALL ") + " LIMIT 1";
  const r = await c.query(sql, [id]);
  return r.rowCount ? probes[r.rows[0].i].label : null;
}

/** Presentations of referenced objects for the UI: {uuid: "Основной склад"}. */
export async function presentations(
  c: Client,
  conf: Configuration,
  m: ObjMeta,
  objs: Row[],
): Promise<Record<string, string>> {
  const byTarget = new Map<string, Set<string>>();
  const add = (t: TypeDef, v: unknown) => {
    if (typeof v !== "string" || t.kind !== "ref" || t.target === "enum") return;
    const key = `${t.target}.${t.name}`;
    if (!byTarget.has(key)) byTarget.set(key, new Set());
    byTarget.get(key)!.add(v);
  };
  for (const o of objs) {
    for (const { field, table } of refFields(m)) {
      if (!table) add(field.type, o[field.name]);
      else for (const r of o[table.name] ?? []) add(field.type, r[field.name]);
    }
    if (m.kind === "catalog" && m.hierarchical) add({ kind: "ref", target: "catalog", name: m.name }, o.parent);
  }
  const out: Record<string, string> = {};
  for (const [key, ids] of byTarget) {
    const [kind, name] = key.split(".");
    const meta = kind === "catalog" ? conf.catalogs.get(name)! : conf.documents.get(name)!;
    const rows = await ormOf(c)
      .createQueryBuilder()
      .select(cachedHeader(meta).map((f) => `x.${q(f.column)}`))
      .from(tableOf(meta), "x")
      .where("x.id = ANY(:ids)", { ids: [...ids] })
      .getRawMany<Row>();
    for (const row of rows) out[row.id] = presentation(meta, row);
  }
  return out;
}

/**
 * How an object is shown in lists and reference fields: a catalog item as its metadata's
 * `presentation` says (name, code, or "code, name"), falling back to whichever it has; a
 * document as «Вид документа 000000001 от 25.11.2011 10:35:37».
 */
export function presentation(m: ObjMeta, row: Row): string {
  if (m.kind === "catalog") {
    const code = m.codeLength > 0 ? String(row.code ?? "") : "";
    const name = String(row.name ?? "");
    if (m.presentation === "code") return code || name;
    if (m.presentation === "codeAndName" && code && name) return `${code}, ${name}`;
    return name || code;
  }
  const d = String(row.date ?? "");
  const shown =
    d.length >= 10
      ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}${d.length > 10 ? " " + d.slice(11, 19) : ""}`
      : d;
  return `${m.synonym} ${row.number} от ${shown}`;
}

/** The same presentation of a catalog item as SQL over the table aliased `alias` (for messages built in the database). */
export function catalogPresentationSql(m: CatalogMeta, alias: string): string {
  const code = `${alias}.code`;
  const name = `${alias}.name`;
  if (m.codeLength === 0 || m.presentation === "name")
    return `COALESCE(NULLIF(${name}, ''), ${m.codeLength > 0 ? code : "''"})`;
  if (m.presentation === "code") return `COALESCE(NULLIF(${code}, ''), ${name})`;
  return `CASE WHEN ${code} <> '' AND ${name} <> '' THEN ${code} || ', ' || ${name} ELSE COALESCE(NULLIF(${name}, ''), ${code}) END`;
}
