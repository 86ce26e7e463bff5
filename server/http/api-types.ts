/**
 * The shapes of the HTTP API's answers, shared by the server and the client: the server
 * modules that build an answer annotate it with these types (so the compiler checks the
 * server against them), and the client imports them with `import type` (esbuild drops the
 * import). Pure types: nothing here imports node or the server's internals — the client's
 * compiler (DOM lib, no node types) checks this file too.
 *
 *   GET /api/metadata        Metadata (server/http/metadata.ts, rights by server/http/access.ts)
 *   GET /api/auth/me, login  Me (server/http/auth.ts)
 *   GET /api/journal         JournalPage of JournalRow (server/journal/query.ts)
 *   GET /api/documents/:name/:id/signatures  SignatureList (server/signatures/service.ts)
 *   GET /api/reports(/:name) ReportListing: ReportInfo, or BrokenReport (server/http/reports.ts)
 *   GET /api/reports/jobs/:id  ReportJobStatus (server/reports/jobs.ts over server/jobs.ts)
 */

// ---------------------------------------------------------------- metadata

import type { WorkflowView } from "./workflow-types.ts";

/** A field's type as the server parses it from the YAML text. */
export type TypeDef =
  | { kind: "string"; length: number }
  | { kind: "number"; precision: number; scale: number }
  | { kind: "boolean" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "ref"; target: "catalog" | "document" | "enum"; name: string };

/** Any field as the client reads it: an attribute, a dimension or resource, or a system field. */
export interface FieldMeta {
  name: string;
  synonym?: string;
  type: TypeDef;
  typeText?: string;
  required?: boolean;
  readOnly?: boolean;
  /** A number field's least value: the form refuses a smaller one as it is typed. */
  min?: number;
}

/** An attribute, dimension or resource of the configuration. */
export interface AttributeMeta extends FieldMeta {
  synonym: string;
  /** The type as written in YAML, e.g. "number(15,2)" or "catalog.Products". */
  typeText: string;
  required: boolean;
}

/** A system field of a catalog or document (id, version, code, name, number, date, posted…). */
export interface SystemFieldMeta extends FieldMeta {
  readOnly: boolean;
}

export interface TabularMeta {
  name: string;
  synonym: string;
  attributes: AttributeMeta[];
  /** The object's module has a fill handler for this part. */
  fill: boolean;
}

/** What a user may do with an object. */
export type RightAction = "read" | "write" | "post" | "delete";

interface ObjectMetaBase {
  name: string;
  synonym: string;
  system: SystemFieldMeta[];
  attributes: AttributeMeta[];
  tabularParts: TabularMeta[];
  /** The list form as the configuration declares it (metadata `list`; docs/metadata.md#lists). */
  list?: ListView;
}

/**
 * A list's declared columns (header field names in order; absent: all) and its row groups; each
 * row of the list answer carries `listGroup`, the name of its group (or null), and the list shows
 * a group's rows in its colour.
 */
export interface ListView {
  columns?: string[];
  groups: { name: string; synonym: string; color: string | null }[];
}

export interface CatalogMeta extends ObjectMetaBase {
  codeLength: number;
  nameLength: number;
  hierarchical: boolean;
  /** Items may carry attached files (server/attachments). */
  attachments?: boolean;
}

export interface DocumentMeta extends ObjectMetaBase {
  numberLength: number;
  /** The registers the document writes movements to. */
  registers: string[];
  /** The document's module has a post handler. */
  posts: boolean;
  /** Documents may carry attached files (server/attachments). */
  attachments?: boolean;
  /** Statuses and transitions (server/workflow): colours for the lists, the status field. */
  workflow?: WorkflowView;
}

/** A register of either kind (the kind's own properties are set for its kind only). */
export interface RegisterMeta {
  name: string;
  synonym: string;
  registerKind?: "balance" | "turnover";
  controlNegative?: boolean;
  periodicity?: "none" | "day" | "month";
  writeMode?: "independent" | "recorder";
  dimensions: AttributeMeta[];
  resources: AttributeMeta[];
  attributes: AttributeMeta[];
}

export interface AccumulationRegisterMeta extends RegisterMeta {
  registerKind: "balance" | "turnover";
  controlNegative: boolean;
}

/**
 * An accounting register (server/accounting/): entries Дт/Кт on the accounts of its chart (the
 * catalog `chartOfAccounts`); its reads answer Account, Analytics1..3 and <R>Dr / <R>Cr.
 */
export interface AccountingRegisterMeta {
  name: string;
  synonym: string;
  chartOfAccounts: string;
  /** The chart's analytics kinds (субконто) and their types. */
  analytics: { name: string; synonym: string; type: TypeDef }[];
  resources: AttributeMeta[];
  attributes: AttributeMeta[];
}

export interface InformationRegisterMeta extends RegisterMeta {
  periodicity: "none" | "day" | "month";
  writeMode: "independent" | "recorder";
}

export interface EnumMeta {
  name: string;
  synonym: string;
  values: { name: string; synonym: string }[];
}

export interface ConstantMeta {
  name: string;
  synonym: string;
  type: TypeDef;
  typeText: string;
}

export interface SubsystemMeta {
  name: string;
  synonym: string;
  order: number;
  /** "catalog.Name", "document.Name", "accumulationRegister.Name", "informationRegister.Name". */
  content: string[];
}

/** The configuration as every user sees it (server/http/metadata.ts, cached per configuration). */
export interface ConfigurationMeta {
  catalogs: CatalogMeta[];
  documents: DocumentMeta[];
  accumulationRegisters: AccumulationRegisterMeta[];
  informationRegisters: InformationRegisterMeta[];
  /** Present when the configuration has accounting registers. */
  accountingRegisters?: AccountingRegisterMeta[];
  enums: EnumMeta[];
  constants: ConstantMeta[];
  /** Sorted by order, then name. */
  subsystems: SubsystemMeta[];
}

/** An object marked with what the current user may do with it. */
export type WithRights<T> = T & { rights: RightAction[] };

/** The user's rights beyond objects. */
export interface UserRights {
  administrator: boolean;
  constants: RightAction[];
  /** "*" (all) or the names of the reports the user may open. */
  reports: "*" | string[];
}

/** GET /api/metadata: the configuration for this user — each object and register with its `rights`. */
export interface Metadata extends ConfigurationMeta {
  catalogs: WithRights<CatalogMeta>[];
  documents: WithRights<DocumentMeta>[];
  accumulationRegisters: WithRights<AccumulationRegisterMeta>[];
  informationRegisters: WithRights<InformationRegisterMeta>[];
  accountingRegisters?: WithRights<AccountingRegisterMeta>[];
  rights: UserRights;
}

// ---------------------------------------------------------------- session

/** The user's rights by object (the roles' summary). */
export interface PermissionSummary extends UserRights {
  catalogs: Record<string, RightAction[]>;
  documents: Record<string, RightAction[]>;
  registers: Record<string, RightAction[]>;
}

/** What the user is told at the next successful login after a hard lock of the login. */
export interface LockNotice {
  lockedAt: string;
  until: string | null;
  liftedAt: string | null;
  liftedBy: string | null;
  failures: number;
  addresses: number;
  message: string;
}

/** The session's user (the body of GET /api/auth/me and of POST /api/auth/login without lockNotice). */
export interface SessionInfo {
  user: { id: string; login: string; name: string };
  roles: { name: string; synonym: string }[];
  area: number;
  csrfToken: string;
  permissions: PermissionSummary;
}

/** GET /api/auth/me and POST /api/auth/login. */
export interface Me extends SessionInfo {
  lockNotice: LockNotice | null;
}

// ---------------------------------------------------------------- journal

/** One entry of the journal (GET /api/journal). */
export interface JournalRow {
  /** The place in its chain; seq and chain together name an entry. */
  seq: string | null;
  /** "main", or "sessions" for logins and logouts. */
  chain: string;
  /** An ISO instant. */
  at: string;
  /** Who acted; a failed login names the login tried and no user (id null). */
  user: { id: string | null; login: string | null } | null;
  ip: string | null;
  action: string;
  actionTitle: string;
  object: { kind: string | null; name: string | null; id: string | null; title: string | null };
  details: unknown;
}

export interface JournalPage {
  rows: JournalRow[];
  total: number;
}

// ---------------------------------------------------------------- printed forms and reports

/** A parameter of a printed form (its manifest's, without the parsed type). */
export interface ReportParam {
  name: string;
  title: string;
  /** As written: string, integer, number, boolean, date, month, catalog.X, document.X, enum.X. */
  type: string;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
}

/** A printed form or report that the server could load. */
export interface ReportInfo {
  name: string;
  title: string;
  description?: string;
  /** The objects whose forms offer it ("catalog.X"), with the parameter that takes the object's id (empty: standalone). */
  appliesTo: { object: string; parameter: string }[];
  parameters: ReportParam[];
  formats: ("html" | "pdf" | "csv" | "xlsx")[];
  /** Printed in chunks with progress (the manifest's `repeat`). */
  batch: boolean;
  page: { size: string; orientation: "portrait" | "landscape"; margin: string };
  error: null;
}

/** A form whose manifest is broken: its name and the error (rendering it answers that error). */
export interface BrokenReport {
  name: string;
  title: string;
  error: string;
}

/** An item of GET /api/reports, and GET /api/reports/:name. */
export type ReportListing = ReportInfo | BrokenReport;

// ---------------------------------------------------------------- signatures

/** The server's check of a stored signature. */
export interface Verification {
  valid: boolean;
  status: "valid" | "void" | "changed" | "invalid";
  message: string;
}

/** One signature of a document. */
export interface SignatureView {
  id: string;
  signer: { userId: string | null; login: string | null };
  signedAt: string;
  algorithm: string;
  keyId: string | null;
  publicKey: string | null;
  certificate: string | null;
  subject: string | null;
  canonicalSha256: string;
  /** Registers the signer could not read: signed as their digest. */
  sealedRegisters: string[];
  signature: string;
  void: { at: string; reason: string; by: string | null } | null;
  verify: Verification;
}

/** GET /api/documents/:name/:id/signatures. */
export interface SignatureList {
  signed: boolean;
  /** The sha256 of the document's canonical bytes now. */
  canonicalSha256: string;
  signatures: SignatureView[];
}

// ---------------------------------------------------------------- background jobs

/** A background job's state (server/jobs.ts). */
export interface JobStatus {
  id: string;
  state: "running" | "done" | "failed";
  /** What the work is doing now. */
  stage: string | null;
  done: number;
  total: number;
  /** ISO instants. */
  started: string;
  finished: string | null;
  error: { code: string; message: string; field: string | null } | null;
}

/** GET /api/reports/jobs/:id: a batch print job (server/reports/jobs.ts). */
export interface ReportJobStatus extends JobStatus {
  report: string;
  format: string;
  stage: "data" | "render" | null;
  result: { contentType: string; fileName: string; size: number } | null;
}

/** A column's kind in an exported file (CSV, Excel): how its values are written. */
export type ExportKind = "text" | "money" | "quantity" | "integer" | "date" | "datetime" | "month" | "boolean";
export type ExportFormat = "csv" | "xlsx";

/** A column of an exported table (GET …?format=, POST /api/export). */
export interface ExportColumn {
  title: string;
  kind: ExportKind;
  /** A quantity's decimals (its type's scale); the value's own when omitted. */
  scale?: number;
}
