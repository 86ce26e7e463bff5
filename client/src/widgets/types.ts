/**
 * The parts of GET /api/metadata that the tabular editor and the reference widgets read:
 * field types (as the server parses them), tabular parts with their `fill` flag, catalogs and
 * documents (for reference targets) and enums with their values. The shapes mirror
 * server/http/metadata.ts; only what the client needs is typed.
 */
import type { EnumMeta, FieldMeta, TabularMeta } from "../meta.ts";

/** Field types, fields, tabular parts and enums: as client/src/meta.ts declares them for the whole client. */
export type { EnumMeta, FieldMeta, TabularMeta, TypeDef } from "../meta.ts";

export interface ObjectMeta {
  name: string;
  synonym: string;
  codeLength?: number;
  attributes: FieldMeta[];
  tabularParts?: TabularMeta[];
}

export interface Metadata {
  catalogs: ObjectMeta[];
  documents: ObjectMeta[];
  enums: EnumMeta[];
}

/** uuid → presentation, as every read of the API returns it beside the object. */
export type Refs = Record<string, string>;

/** A reference target that has a list API: a catalog or a document. */
export type ListKind = "catalog" | "document";

/** "/catalogs/Name" or "/documents/Name": the list route of a reference target. */
export const listPath = (kind: ListKind, name: string) => `/${kind === "document" ? "documents" : "catalogs"}/${encodeURIComponent(name)}`;

export const enumOf = (md: Metadata | undefined, name: string) => md?.enums.find((e) => e.name === name);
export const catalogOf = (md: Metadata | undefined, name: string) => md?.catalogs.find((c) => c.name === name);
