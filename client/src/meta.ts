/**
 * The configuration as the client sees it (GET /api/metadata), loaded once: types of the
 * answer, lookups of catalogs, documents, registers and enums by name, and the display of a
 * value by its metadata type (numbers with their decimals, dates dd.mm.yyyy, enum synonyms,
 * reference presentations). Everything the shell, lists and forms build comes from here.
 */
import { get } from "./api.ts";
import { formatDate, formatNumber } from "../../server/format.ts";

import type * as api from "../../server/http/api-types.ts";
import type { EnumMeta, Metadata, RightAction, TypeDef } from "../../server/http/api-types.ts";

// The answer's types are the API's own (server/http/api-types.ts, which the server builds it with).
export type {
  AttributeMeta,
  EnumMeta,
  FieldMeta,
  Metadata,
  RightAction,
  SubsystemMeta,
  TabularMeta,
  TypeDef,
} from "../../server/http/api-types.ts";
/** Objects and registers as this user gets them: each with its `rights`. */
export type CatalogMeta = Metadata["catalogs"][number];
export type DocumentMeta = Metadata["documents"][number];
export type RegisterMeta = api.WithRights<api.RegisterMeta>;

export type ObjectKind = "catalog" | "document";
export type ContentKind = ObjectKind | "accumulationRegister" | "informationRegister";

let loading: Promise<Metadata> | undefined;
let loaded: Metadata | undefined;

/** The configuration, fetched once per page. */
export function loadMetadata(): Promise<Metadata> {
  return (loading ??= get<Metadata>("/metadata").then((m) => (loaded = m)));
}

/** Forgets the loaded configuration: it differs per user (rights), so a new login reloads it. */
export function resetMetadata(): void {
  loading = undefined;
  loaded = undefined;
}

/** The configuration once loaded (forms are only created after the shell has it). */
export function metadata(): Metadata {
  if (!loaded) throw new Error("metadata not loaded yet");
  return loaded;
}

export function catalogMeta(name: string): CatalogMeta | undefined {
  return metadata().catalogs.find((c) => c.name === name);
}
export function documentMeta(name: string): DocumentMeta | undefined {
  return metadata().documents.find((d) => d.name === name);
}
export function objectMeta(kind: ObjectKind, name: string): CatalogMeta | DocumentMeta | undefined {
  return kind === "catalog" ? catalogMeta(name) : documentMeta(name);
}
export function registerMeta(
  name: string,
): { kind: "accumulationRegister" | "informationRegister"; meta: RegisterMeta } | undefined {
  const md = metadata();
  const a = md.accumulationRegisters.find((r) => r.name === name);
  if (a) return { kind: "accumulationRegister", meta: a };
  const i = md.informationRegisters.find((r) => r.name === name);
  return i ? { kind: "informationRegister", meta: i } : undefined;
}
export function enumMeta(name: string): EnumMeta | undefined {
  return metadata().enums.find((e) => e.name === name);
}

/** Whether the user may do `action` with an object (true when the server sent no rights). */
export function allowed(m: { rights?: RightAction[] } | undefined, action: RightAction): boolean {
  return !m?.rights || m.rights.includes(action);
}

/** Whether the user may open a content item "catalog.Name" / "accumulationRegister.Name". */
export function contentReadable(item: string): boolean {
  const [kind, name] = item.split(".");
  if (kind === "catalog" || kind === "document") return allowed(objectMeta(kind, name), "read");
  if (/Register$/.test(kind)) return allowed(registerMeta(name)?.meta, "read");
  return true;
}

/** Whether the user is the area's administrator. */
export function isAdministrator(): boolean {
  return metadata().rights?.administrator ?? false;
}

/** The user's name of a content item "catalog.Name" of a subsystem. */
export function contentSynonym(item: string): string {
  const [kind, name] = item.split(".");
  if (kind === "catalog") return catalogMeta(name)?.synonym ?? name;
  if (kind === "document") return documentMeta(name)?.synonym ?? name;
  return registerMeta(name)?.meta.synonym ?? name;
}

/** A value as the user reads it, by its type; `refs` holds presentations of references. */
export function displayValue(type: TypeDef | undefined, v: unknown, refs?: Record<string, string>): string {
  if (v === null || v === undefined || v === "") return "";
  if (!type) return String(v);
  switch (type.kind) {
    case "number":
      return formatNumber(v, type.scale);
    case "date":
      return formatDate(v);
    case "datetime":
      return formatDateTime(v);
    case "boolean":
      return v === true ? "✓" : "";
    case "ref":
      if (type.target === "enum") return enumMeta(type.name)?.values.find((x) => x.name === v)?.synonym ?? String(v);
      return refs?.[String(v)] ?? String(v);
    default:
      return String(v);
  }
}

/** "2011-11-25T10:16:27" → "25.11.2011 10:16:27". */
export function formatDateTime(v: unknown): string {
  const s = String(v ?? "");
  const time = /T(\d{2}:\d{2}(:\d{2})?)/.exec(s)?.[1];
  return formatDate(s) + (time ? " " + (time.length === 5 ? time + ":00" : time) : "");
}

/** Right-aligned values: numbers. */
export const isNumeric = (t: TypeDef | undefined) => t?.kind === "number";
