/**
 * The platform's schema, assembled. storage/ builds the configuration's object tables and
 * migrates (storage/migrate.ts); every other subsystem hands its part in here — tables built
 * from the configuration and the DDL of its system tables and functions — so storage/ depends on
 * none of them. The parts' SQL runs in this order, after the tables.
 */
import type { Configuration } from "./metadata/types.ts";
import { modelTables, type SchemaPart } from "./storage/migrate.ts";
import type { TableDef } from "./storage/columns.ts";
import type { EntitySchema } from "typeorm";
import { entitySchemas } from "./storage/entities.ts";
import { accumulationTables } from "./registers/tables.ts";
import { accumulationStorages } from "./metadata/accounting.ts";
import { registerFunctionsSql } from "./registers/ddl.ts";
import { journalSchemaSql } from "./journal/schema.ts";
import { signaturesSchemaSql } from "./signatures/schema.ts";
import { securitySchemaSql } from "./security/schema.ts";
import { SessionEntity, UserEntity } from "./security/entities.ts";
import { JournalEntity } from "./journal/entities.ts";
import { idempotencySchemaSql } from "./idempotency/idempotency.ts";
import { jobsSchemaSql } from "./jobs/schema.ts";
import { workflowSchemaSql } from "./workflow/schema.ts";
import { attachmentsSchemaSql } from "./attachments/schema.ts";
import { settingsSchemaSql } from "./settings/schema.ts";

export const SCHEMA_PARTS: readonly SchemaPart[] = [
  { name: "the journal of user actions", sql: (_conf, role, area) => journalSchemaSql(role, area) },
  { name: "signed documents", sql: (_conf, role, area) => signaturesSchemaSql(role, area) },
  { name: "users and sessions", sql: (_conf, role, area) => securitySchemaSql(role, area) },
  { name: "safe retries", sql: (_conf, role, area) => idempotencySchemaSql(role, area) },
  { name: "background jobs", sql: (_conf, role, area) => jobsSchemaSql(role, area) },
  { name: "document statuses", sql: (_conf, role, area) => workflowSchemaSql(role, area) },
  { name: "attachments", sql: (_conf, role, area) => attachmentsSchemaSql(role, area) },
  { name: "form settings", sql: (_conf, role, area) => settingsSchemaSql(role, area) },
  {
    name: "accumulation registers",
    // accounting registers are stored as accumulation registers (metadata/accounting.ts)
    tables: (conf) => accumulationStorages(conf).flatMap((r) => accumulationTables(r)),
    sql: (conf) => registerFunctionsSql(conf),
  },
];

/** Every table the configuration needs (objects and parts), as migrated. */
export const platformTables = (conf: Configuration): TableDef[] => modelTables(conf, SCHEMA_PARTS);

/** The system tables read and written through TypeORM (storage/orm.ts), each defined beside its DDL. */
export const SYSTEM_ENTITIES: readonly EntitySchema[] = [UserEntity, SessionEntity, JournalEntity];

/** TypeORM's entities: every table of the configuration (generated) and the system tables. */
export const platformEntities = (conf: Configuration): EntitySchema[] => [
  ...entitySchemas(platformTables(conf)),
  ...SYSTEM_ENTITIES,
];
