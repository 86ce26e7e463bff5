/**
 * The parts of GET /api/metadata that the tabular editor and the reference widgets read:
 * field types (as the server parses them), tabular parts with their `fill` flag, catalogs and
 * documents (for reference targets) and enums with their values — the API's own types
 * (server/http/api-types.ts).
 */
import type { Metadata as ApiMetadata } from "../../../server/http/api-types.ts";

export type { EnumMeta, FieldMeta, TabularMeta, TypeDef } from "../../../server/http/api-types.ts";

/** What the widgets read of the metadata answer. */
export type Metadata = Pick<ApiMetadata, "catalogs" | "documents" | "enums">;

/** uuid → presentation, as every read of the API returns it beside the object. */
export type Refs = Record<string, string>;

/** A reference target that has a list API: a catalog or a document. */
export type ListKind = "catalog" | "document";

/** "/catalogs/Name" or "/documents/Name": the list route of a reference target. */
export const listPath = (kind: ListKind, name: string) =>
  `/${kind === "document" ? "documents" : "catalogs"}/${encodeURIComponent(name)}`;

export const enumOf = (md: Metadata | undefined, name: string) => md?.enums.find((e) => e.name === name);
export const catalogOf = (md: Metadata | undefined, name: string) => md?.catalogs.find((c) => c.name === name);
