/**
 * TypeORM EntitySchemas generated from the table model (no decorators: tsx emits no decorator
 * metadata). The schema itself is created and migrated by migrate.ts, not by TypeORM's
 * synchronize, which cannot tell a widening from a narrowing and would drop and re-add a
 * column whose type changed; these entities are for code that wants TypeORM repositories and
 * query builders over the same tables (always inside a transaction that sets app.area).
 */
import { EntitySchema, type EntitySchemaColumnOptions } from "typeorm";
import type { Configuration } from "../metadata/types.ts";
import type { ColumnDef, TableDef } from "./columns.ts";

function columnOptions(c: ColumnDef, primary: boolean): EntitySchemaColumnOptions {
  // The default is the database's (area from app.area, id from gen_random_uuid()): TypeORM reads it back after insert.
  const base = {
    name: c.name,
    primary,
    nullable: !c.notNull,
    ...(c.default !== undefined ? { default: () => c.default! } : {}),
  };
  let m: RegExpExecArray | null;
  if ((m = /^character varying\((\d+)\)$/.exec(c.sqlType))) return { ...base, type: "varchar", length: Number(m[1]) };
  if ((m = /^numeric\((\d+),(\d+)\)$/.exec(c.sqlType)))
    return { ...base, type: "numeric", precision: Number(m[1]), scale: Number(m[2]) };
  if (c.sqlType.startsWith("timestamp")) return { ...base, type: "timestamp", precision: 0 };
  return { ...base, type: c.sqlType as EntitySchemaColumnOptions["type"] };
}

/** One EntitySchema per table, named like the table ("cat_products", "doc_sale__items"). */
export function entitySchemas(tables: TableDef[]): EntitySchema[] {
  return tables.map(
    (t) =>
      new EntitySchema({
        name: t.name,
        tableName: t.name,
        columns: Object.fromEntries(t.columns.map((c) => [c.name, columnOptions(c, t.primaryKey.includes(c.name))])),
      }),
  );
}
