/**
 * The table model: what tables, columns and indexes a configuration needs. The migrator
 * (migrate.ts) compares it with the live database; entities.ts turns it into TypeORM
 * EntitySchemas. Every table leads its keys with `area` (the data area, see db.ts), whose
 * default is the transaction's `app.area`, so inserts never name it.
 *
 * Catalogs:   id, version, deletion_mark, code?, name, parent?/is_folder?, attributes...
 * Documents:  id, version, deletion_mark, number, date, posted, comment, attributes...
 * Tabular parts: owner, line, attributes...
 * Information registers: [period], [recorder, line], dimensions..., resources..., attributes...
 * Constants:  one row per area, a column per constant.
 * Other subsystems add their own tables (accumulation registers: server/registers/tables.ts),
 * handed to the migrator as schema parts (migrate.ts SchemaPart, assembled in server/schema.ts);
 * columns and their types come from columns.ts, which all of them use.
 */
import type { CatalogMeta, Configuration, DocumentMeta, Field, TabularPart } from "../metadata/types.ts";
import { defaultSort, groupsSql } from "../metadata/list-meta.ts";
import { headerFields } from "./objects.ts";
import {
  areaColumn,
  fieldColumn,
  indexName,
  sqlType,
  type ColumnDef,
  type ForeignKeyDef,
  type IndexDef,
  type TableDef,
} from "./columns.ts";
import { catalogTable, col, CONSTANTS_TABLE, documentTable, infoTable, snake, tabularTable } from "./naming.ts";

/**
 * The references of these attributes to catalogs and documents, kept by the database. (Registers'
 * dimensions store an empty reference as a zero UUID, not NULL, so they get none.)
 */
function referenceKeys(table: string, fields: Field[]): ForeignKeyDef[] {
  return fields.flatMap((f) =>
    f.type.kind === "ref" && f.type.target !== "enum"
      ? [
          refKey(
            table,
            col(f.name),
            f.type.target === "catalog" ? catalogTable(f.type.name) : documentTable(f.type.name),
          ),
        ]
      : [],
  );
}

/** The key's name holds its column and target, so a reference retargeted gets a new key. */
const refKey = (table: string, column: string, refTable: string): ForeignKeyDef => ({
  name: indexName(table, `fk_${column}__${refTable}`),
  columns: ["area", column],
  refTable,
  refColumns: ["area", "id"],
});

function tabularTables(ownerTable: string, ownerLabel: string, parts: TabularPart[]): TableDef[] {
  return parts.map((tp) => {
    const name = tabularTable(ownerTable, tp.name);
    const label = `${ownerLabel}, tabular part ${tp.name}`;
    return {
      name,
      label,
      columns: [
        areaColumn(label),
        { name: "owner", sqlType: "uuid", notNull: true, label: `${label}.owner` },
        { name: "line", sqlType: "integer", notNull: true, label: `${label}.line` },
        ...tp.attributes.map((a) => fieldColumn(a, label)),
      ],
      primaryKey: ["area", "owner", "line"],
      indexes: [],
      foreignKeys: [
        { ...refKey(name, "owner", ownerTable), onDeleteCascade: true },
        ...referenceKeys(name, tp.attributes),
      ],
    };
  });
}

function catalogTables(conf: Configuration): TableDef[] {
  const out: TableDef[] = [];
  for (const c of conf.catalogs.values()) {
    const name = catalogTable(c.name);
    const label = `catalog ${c.name}`;
    const columns: ColumnDef[] = [
      areaColumn(label),
      { name: "id", sqlType: "uuid", notNull: true, default: "gen_random_uuid()", label: `${label}.id` },
      { name: "version", sqlType: "integer", notNull: true, default: "1", label: `${label}.version` },
      { name: "deletion_mark", sqlType: "boolean", notNull: true, default: "false", label: `${label}.deletion_mark` },
    ];
    if (c.codeLength > 0)
      columns.push({
        name: "code",
        sqlType: `character varying(${c.codeLength})`,
        notNull: true,
        label: `${label}.code`,
      });
    columns.push({
      name: "name",
      sqlType: `character varying(${c.nameLength})`,
      notNull: true,
      default: "''",
      label: `${label}.name`,
    });
    if (c.hierarchical) {
      columns.push({ name: "parent", sqlType: "uuid", notNull: false, label: `${label}.parent` });
      columns.push({
        name: "is_folder",
        sqlType: "boolean",
        notNull: true,
        default: "false",
        label: `${label}.is_folder`,
      });
    }
    columns.push(...c.attributes.map((a) => fieldColumn(a, label)));
    const indexes: IndexDef[] = [{ name: indexName(name, "name"), columns: ["area", "name"], unique: false }];
    if (c.codeLength > 0) indexes.push({ name: indexName(name, "code"), columns: ["area", "code"], unique: true });
    if (c.hierarchical) indexes.push({ name: indexName(name, "parent"), columns: ["area", "parent"], unique: false });
    for (const a of c.attributes) {
      if (a.type.kind === "ref" && a.type.target !== "enum")
        indexes.push({ name: indexName(name, col(a.name)), columns: ["area", col(a.name)], unique: false });
    }
    const foreignKeys = referenceKeys(name, c.attributes);
    if (c.hierarchical) foreignKeys.push(refKey(name, "parent", name));
    indexes.push(...listIndexes(conf, c, name));
    out.push({ name, label, columns, primaryKey: ["area", "id"], indexes, foreignKeys });
    out.push(...tabularTables(name, label, c.tabularParts));
  }
  return out;
}

function documentTables(conf: Configuration): TableDef[] {
  const out: TableDef[] = [];
  for (const d of conf.documents.values()) {
    const name = documentTable(d.name);
    const label = `document ${d.name}`;
    const columns: ColumnDef[] = [
      areaColumn(label),
      { name: "id", sqlType: "uuid", notNull: true, default: "gen_random_uuid()", label: `${label}.id` },
      { name: "version", sqlType: "integer", notNull: true, default: "1", label: `${label}.version` },
      { name: "deletion_mark", sqlType: "boolean", notNull: true, default: "false", label: `${label}.deletion_mark` },
      { name: "number", sqlType: `character varying(${d.numberLength})`, notNull: true, label: `${label}.number` },
      { name: "date", sqlType: "timestamp(0) without time zone", notNull: true, label: `${label}.date` },
      { name: "posted", sqlType: "boolean", notNull: true, default: "false", label: `${label}.posted` },
      { name: "comment", sqlType: "character varying(1000)", notNull: true, default: "''", label: `${label}.comment` },
      ...d.attributes.map((a) => fieldColumn(a, label)),
    ];
    const indexes: IndexDef[] = [
      { name: indexName(name, "number_year"), columns: ["area", "date_part('year', date)", "number"], unique: true },
      { name: indexName(name, "date"), columns: ["area", "date", "id"], unique: false },
    ];
    for (const a of d.attributes) {
      if (a.type.kind === "ref" && a.type.target !== "enum")
        indexes.push({ name: indexName(name, col(a.name)), columns: ["area", col(a.name)], unique: false });
    }
    indexes.push(...listIndexes(conf, d, name));
    out.push({
      name,
      label,
      columns,
      primaryKey: ["area", "id"],
      indexes,
      foreignKeys: referenceKeys(name, d.attributes),
    });
    out.push(...tabularTables(name, label, d.tabularParts));
  }
  return out;
}

function infoTables(conf: Configuration): TableDef[] {
  const out: TableDef[] = [];
  for (const r of conf.informationRegisters.values()) {
    const name = infoTable(r.name);
    const label = `information register ${r.name}`;
    const columns: ColumnDef[] = [areaColumn(label)];
    const periodic = r.periodicity !== "none";
    const byRecorder = r.writeMode === "recorder";
    if (periodic) columns.push({ name: "period", sqlType: "date", notNull: true, label: `${label}.period` });
    if (byRecorder) {
      columns.push({ name: "recorder", sqlType: "uuid", notNull: true, label: `${label}.recorder` });
      columns.push({
        name: "recorder_kind",
        sqlType: "character varying(64)",
        notNull: true,
        label: `${label}.recorder_kind`,
      });
      columns.push({ name: "line", sqlType: "integer", notNull: true, label: `${label}.line` });
    }
    columns.push(...r.dimensions.map((f) => fieldColumn(f, label, true)));
    columns.push(...r.resources.map((f) => fieldColumn(f, label)));
    columns.push(...r.attributes.map((f) => fieldColumn(f, label)));
    const key = ["area", ...r.dimensions.map((f) => col(f.name)), ...(periodic ? ["period"] : [])];
    const indexes: IndexDef[] = [];
    if (byRecorder) {
      indexes.push({ name: indexName(name, "key"), columns: key, unique: true });
    }
    out.push({ name, label, columns, primaryKey: byRecorder ? ["area", "recorder", "line"] : key, indexes });
  }
  return out;
}

function constantsTable(conf: Configuration): TableDef {
  const label = "constants";
  return {
    name: CONSTANTS_TABLE,
    label,
    columns: [
      areaColumn(label),
      ...[...conf.constants.values()].map((c) => ({
        name: snake(c.name),
        sqlType: sqlType(c.type),
        notNull: false,
        label: `constant ${c.name}`,
      })),
    ],
    primaryKey: ["area"],
    indexes: [],
  };
}

function hash(text: string): string {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, "0").slice(0, 6);
}

/** The tables of the configuration's objects: catalogs, documents, information registers, constants. */
export function objectTables(conf: Configuration): TableDef[] {
  return [...catalogTables(conf), ...documentTables(conf), ...infoTables(conf), constantsTable(conf)];
}

/**
 * The indexes a declared list (metadata `list`) reads its default order by: its sort field (when
 * not date, code or name, which have theirs) and, for each row group with conditions not on the
 * clock, the same order over that group's rows alone (a partial index), so the first page of a
 * large list is read without sorting it (storage/list.ts).
 */
function listIndexes(conf: Configuration, m: CatalogMeta | DocumentMeta, table: string): IndexDef[] {
  if (!m.list) return [];
  const { field } = defaultSort(m);
  const column = headerFields(m).find((f) => f.name === field)?.column;
  if (!column) return [];
  const out: IndexDef[] = [];
  if (!["date", "code", "name"].includes(column))
    out.push({ name: indexName(table, `list_${column}`), columns: ["area", column, "id"], unique: false });
  groupsSql(conf, m, "").forEach((g, i) => {
    if (g.fixed)
      out.push({
        name: indexName(table, `list_g${i}`),
        columns: ["area", column, "id"],
        unique: false,
        where: g.fixed,
      });
  });
  return out;
}

/**
 * The tables as created: index names end with a hash of their definition, so a changed index
 * (a dimension added to a key) gets a new name: the migrator creates it and drops the old one.
 */
export function withIndexNames(tables: TableDef[]): TableDef[] {
  for (const t of tables) {
    for (const i of t.indexes)
      i.name = indexName(
        t.name,
        `${i.name.slice(t.name.length + 2)}_${hash(`${i.unique}:${i.columns.join(",")}${i.where ? `:${i.where}` : ""}`)}`,
      );
  }
  return tables;
}
