/**
 * What configuration code (the .ts modules beside the metadata YAML, metadata/common, the
 * printed forms' data modules) may use from the platform — nothing else of server/ (a test
 * checks: tests/platform/published-api.test.ts): the contexts handed to posting, fill and check
 * handlers, the calendar, the printed forms' context and formats. Values in `doc` and
 * `object` follow storage/values.ts#forCode: numbers are Decimal, references are UUID strings
 * (null when empty), dates are 'YYYY-MM-DD', datetimes 'YYYY-MM-DDTHH:MM:SS', enums value names.
 */
import type { Decimal } from "decimal.js";
import type { ErrorTarget, Problem, UserError } from "./errors.ts";

export { balanceSides } from "./accounting/read.ts";
/** The calendar (date and moment texts, month arithmetic, today): server/calendar.ts. */
export * from "./calendar.ts";
export type { ErrorTarget, Problem } from "./errors.ts";
export { UserError } from "./errors.ts";
/** Printed forms' data modules (reports/<form>/data.ts): their context and parameters. */
export type { ReportContext } from "./reports/discover.ts";
/** Russian number, money and date formats for printed forms (throw on a value that is not one). */
export { formatDate, money, quantity } from "./reports/format.ts";
export type { ReportParams } from "./reports/params.ts";

export type Row = Record<string, unknown>;

export interface MovementAdder {
  /**
   * Adds one record to the document's record set of this register. Accumulation registers:
   * `kind` is "receipt" (default) or "expense" for balance registers; `period` defaults to the
   * document's date. Information registers: `period` defaults to the document's date.
   * Other keys are the register's dimensions, resources and attributes by metadata name.
   */
  add(row: Row & { period?: string; kind?: "receipt" | "expense" }): void;
  /** The records added so far. */
  readonly rows: Row[];
}

export interface AccumulationReader {
  /** Balances at the moment `at` (inclusive; omitted = all movements), optionally filtered by dimensions. */
  balance(at?: string, filter?: Row): Promise<Row[]>;
  turnovers(from: string, to: string, periodicity?: "day" | "month" | "year" | "none", filter?: Row): Promise<Row[]>;
}

/** An accounting register's reader (server/accounting/read.ts): besides balances and turnovers, these. */
export interface AccountingReader extends AccumulationReader {
  balanceAndTurnovers(
    from: string,
    to: string,
    periodicity?: "day" | "month" | "year" | "none",
    filter?: Row,
  ): Promise<Row[]>;
  correspondence(from: string, to: string, filter?: { AccountDr?: unknown; AccountCr?: unknown }): Promise<Row[]>;
  entries(from: string, to: string, filter?: Row, limit?: number): Promise<Row[]>;
}

export interface InformationReader {
  sliceLast(at?: string, filter?: Row): Promise<Row[]>;
  sliceFirst(at?: string, filter?: Row): Promise<Row[]>;
}

export interface QueryApi {
  /**
   * Reads objects of a catalog or document kind in one query. `filter` is by header field name:
   * a value means equality, an array means any of its values. `tables: true` includes the
   * tabular parts. Documents come in date order, catalogs in code order.
   */
  query(
    kind: "catalog" | "document",
    name: string,
    filter?: Row,
    opts?: number | { limit?: number; tables?: boolean },
  ): Promise<Row[]>;
  registers: Record<string, AccumulationReader>;
  info: Record<string, InformationReader>;
  /** An enum's values with their synonyms, in the metadata's order (the configuration's own, wherever it is loaded from). */
  enumValues(name: string): { name: string; synonym: string }[];
  /** Builds an error to throw: it names the row and field, and the UI selects that cell. */
  error(message: string, target?: ErrorTarget): UserError;
  /**
   * One error for every problem a check found (each bad row of a posting), to throw after
   * checking them all: the user fixes them in one go, the form marks each cell.
   */
  errors(problems: Problem[]): UserError;
  /**
   * Waits for and takes an exclusive lock on `key` (within the data area) until the
   * transaction ends. Code that checks "has someone already done X?" and then does X takes the
   * lock first, so two concurrent transactions cannot both pass the check.
   */
  lock(key: string): Promise<void>;
}

export interface PostingContext extends QueryApi {
  /** The document being posted, tabular parts as arrays of rows. */
  doc: Row & { id: string; number: string; date: string };
  movements: Record<string, MovementAdder>;
  /**
   * Reports how far the posting has got: `done` of `total` units (rows, accounts…) and, when
   * given, what it is doing now ("Проверка остатков"). A posting started in the background
   * (POST …/post?async=1) shows it in its job's progress; otherwise it costs nothing.
   */
  progress(done: number, total: number, stage?: string): void;
}

/**
 * A set posting (a module's `postMany`): many new documents of one kind posted at once, in one
 * transaction. The handler reads what it needs for all of them with set-based queries and adds
 * each document's movements to that document's own `movements`; a refusal of one refuses the set.
 */
export interface PostManyContext extends QueryApi {
  progress(done: number, total: number, stage?: string): void;
}

/** One document of a set posting: what `post` gets for it, and an error naming it. */
export interface PostingItem {
  doc: PostingContext["doc"];
  movements: Record<string, MovementAdder>;
  /** Builds an error to throw for this document (its row and field). */
  error(message: string, target?: ErrorTarget): UserError;
}

export interface FillContext extends QueryApi {
  /** The document as the client sent it (unsaved changes included) or as stored. */
  doc: Row;
  table: string;
}

export interface CatalogContext extends QueryApi {
  object: Row & { id?: string; name: string };
  isNew: boolean;
}

export interface DocumentCheckContext extends QueryApi {
  doc: Row;
  isNew: boolean;
}

/**
 * What a document's `onTransition` gets (workflow, docs/metadata.md#workflow): called inside the
 * transition's transaction, under the document's row lock, after the platform's checks (declared,
 * role, required fields, comment) and before the status is written. Header attributes it sets in
 * `ctx.doc` (a deadline, an executor) are written with the new status; the status field itself
 * is the platform's. Throw ctx.error(...) to refuse the transition (422, nothing written).
 */
export interface TransitionContext extends QueryApi {
  doc: Row & { id: string; number: string; date: string };
  /** Status identifiers (the workflow's `name`s). */
  from: string;
  to: string;
  /** The user's comment ("" when none). */
  comment: string;
  /** The moment of the transition, 'YYYY-MM-DDTHH:MM:SS' (server local time, as document dates). */
  at: string;
  /** Who makes it (null for a system action) and their roles. */
  user: { login: string; roles: string[] } | null;
}

/**
 * What an independent information register's module (`<Register>.ts` beside its YAML, exporting
 * `beforeWrite`) checks before records are written directly (the API, initial data): throw
 * ctx.error(...) to refuse them all.
 */
export interface RecordsCheckContext extends QueryApi {
  /** The records as given: `period` and the register's fields by metadata name (values as sent). */
  records: Row[];
}

/**
 * What an independent information register's module gets in afterWrite: called after its
 * records were written or deleted directly (the HTTP API, initial data), in the same
 * transaction — what it writes commits with them, and a throw (ctx.error) undoes them too.
 */
export interface RecordsWrittenContext extends RecordsCheckContext {
  /** True when `records` are the keys ({period?, dimensions}) of deleted records. */
  deleted: boolean;
  /** Writes records of an independent information register (through its own module). */
  writeRecords(register: string, rows: Row[]): Promise<number>;
  /** Changes attributes of a catalog item (through the catalog's checks, journalled). */
  updateCatalogItem(catalog: string, id: string, values: Row): Promise<void>;
}

/**
 * What a configuration's initial-data.ts gets (it runs once per data area, in one
 * transaction, on the first start; `npm run demo:reset` runs it again on a wiped area).
 * Everything goes through the same checks and posting as the API.
 */
export interface InitialDataContext extends QueryApi {
  area: number;
  create(kind: "catalog" | "document", name: string, body: Row, opts?: { post?: boolean }): Promise<Row>;
  /** Writes records of an independent information register. */
  writeRecords(register: string, rows: Row[]): Promise<number>;
  setConstant(name: string, value: unknown): Promise<void>;
  /** Runs a document's fill handler, as the UI's Заполнить does. */
  fill(document: string, table: string, doc: Row): Promise<Row[]>;
  /**
   * Creates a user of the area with roles of the configuration (metadata roles). Without a
   * password the user cannot log in until the administrator sets one.
   */
  createUser(user: { login: string; name?: string; roles: string[]; password?: string | null }): Promise<void>;
  /**
   * Makes a status transition of a document with workflow, as POST /api/documents/:name/:id/status
   * does (its checks and onTransition; a system action, so no role check).
   */
  transition(document: string, id: string, status: string, comment?: string): Promise<void>;
}

/**
 * Documents written by configuration code itself (an import, a document's afterPost): the same
 * checks, numbering, posting and journal as the API, in the caller's transaction; refused (403)
 * when the current user may not write (or, with `post`, post) that kind of document.
 */
export interface DocumentWriter {
  createDocument(name: string, body: Row, opts?: { post?: boolean }): Promise<Row>;
  updateDocument(name: string, id: string, body: Row, opts?: { post?: boolean }): Promise<Row>;
  getDocument(name: string, id: string): Promise<Row>;
}

/**
 * What a document's `afterPost` gets: called after the document was posted (a write with
 * posting, «Провести», a repost), in the same transaction, with the document as posted. It may
 * write other documents (those the posting gives rise to) and this one again (its own afterPost
 * then runs again: write only what changed, so it ends). A throw undoes the posting too.
 */
export interface DocumentPostedContext extends QueryApi, DocumentWriter {
  doc: Row & { id: string; number: string; date: string };
}

/**
 * What a document's `import` gets (POST /api/documents/:name/import, the file's bytes as the
 * body): everything it writes is one transaction — a throw writes nothing. What it returns is
 * the answer (JSON).
 */
export interface ImportContext extends QueryApi, DocumentWriter {
  /** The file's bytes as sent. */
  file: Buffer;
  /** The request's query parameters (single values). */
  params: Record<string, string>;
  /** Creates documents of one kind through the batch path: all or none; a refusal names the item. Their ids, in order. */
  createDocuments(name: string, items: Row[], opts?: { post?: boolean }): Promise<string[]>;
}

/** What a document's `export` gets (GET /api/documents/:name/export): read-only, query parameters in `params`. */
export interface ExportContext extends QueryApi {
  params: Record<string, string>;
}

/** A file an `export` makes: downloaded as an attachment named `fileName`. */
export interface ExportedFile {
  fileName: string;
  /** Default application/octet-stream. */
  contentType?: string;
  body: Buffer;
}

export type { Decimal };

// ---- Typed configuration API -----------------------------------------------------------------
// `npm run types` writes the configuration's types (its enums, catalog objects, documents with
// their tabular parts, register records) from its YAML into `types.gen.ts` at the configuration's
// root, with `defineDocument` / `defineCatalog` bound to them. A module declared with them gets a
// typed `ctx`: `ctx.doc.Services[0].Amount` is a Decimal or null, `ctx.movements.Settlements.add`
// takes that register's dimensions and resources, `ctx.registers.Settlements.balance(at, filter)`
// answers its rows — a misspelt name or a wrong type is a compile error, not a refusal at posting.

/** The values a configuration's code sees (storage/values.ts#forCode). */
export type DateText = string;

/** One register as the generated types describe it. */
export interface RegisterTypes {
  dimensions: object;
  resources: object;
  attributes: object;
}

export interface AccumulationRegisterTypes extends RegisterTypes {
  kind: "balance" | "turnover";
}

/** What `npm run types` generates for a configuration. */
export interface ConfigurationTypes {
  enums: object;
  catalogs: object;
  documents: object;
  accumulationRegisters: { [name: string]: AccumulationRegisterTypes };
  /** Accounting registers (present when the configuration has any). */
  accountingRegisters?: { [name: string]: AccountingRegisterTypes };
  informationRegisters: { [name: string]: RegisterTypes };
}

type Str<K> = K & string;
/** A number a handler writes: Decimal, a decimal string or (integers) a number; null for none. */
type NumberIn<T> = [T] extends [Decimal | null] ? Decimal | string | number | null : T;
type Inputs<T> = { [K in keyof T]: NumberIn<T[K]> };

/** A filter by dimensions: a value, or an array meaning any of its values. */
export type DimensionFilter<R extends RegisterTypes> = {
  [K in keyof R["dimensions"]]?: R["dimensions"][K] | R["dimensions"][K][];
};

export type BalanceRow<R extends RegisterTypes> = R["dimensions"] & R["resources"];
export type TurnoverRow<R extends AccumulationRegisterTypes> = R["dimensions"] & {
  period?: DateText;
} & (R["kind"] extends "balance"
    ? { [K in keyof R["resources"] as `${Str<K>}Receipt` | `${Str<K>}Expense` | `${Str<K>}Turnover`]: Decimal }
    : R["resources"]);
export type SliceRow<R extends RegisterTypes> = R["dimensions"] &
  R["resources"] &
  R["attributes"] & { period?: DateText };

export interface TypedAccumulationReader<R extends AccumulationRegisterTypes> {
  /** Balances at the moment `at` (inclusive; omitted = all movements), optionally filtered by dimensions. */
  balance(at?: string, filter?: DimensionFilter<R>): Promise<BalanceRow<R>[]>;
  turnovers(
    from: string,
    to: string,
    periodicity?: "day" | "month" | "year" | "none",
    filter?: DimensionFilter<R>,
  ): Promise<TurnoverRow<R>[]>;
}

export interface TypedInformationReader<R extends RegisterTypes> {
  sliceLast(at?: string, filter?: DimensionFilter<R>): Promise<SliceRow<R>[]>;
  sliceFirst(at?: string, filter?: DimensionFilter<R>): Promise<SliceRow<R>[]>;
}

/** One record of a register as a handler adds it. */
export type RecordInput<R extends RegisterTypes> = Inputs<R["dimensions"]> &
  Partial<Inputs<R["resources"]>> &
  Partial<Inputs<R["attributes"]>> & { period?: string } & (R extends { kind: "balance" }
    ? { kind?: "receipt" | "expense" }
    : unknown);

export interface TypedMovementAdder<R extends RegisterTypes> {
  /** Adds one record to the document's record set of this register (see MovementAdder). */
  add(row: RecordInput<R>): void;
  readonly rows: Row[];
}

type ObjectFilter<T> = { [K in keyof T]?: T[K] | T[K][] };

export interface TypedQueryApi<C extends ConfigurationTypes> {
  /** Reads objects of a catalog or document kind in one query (see QueryApi.query). */
  query<N extends Str<keyof C["catalogs"]>>(
    kind: "catalog",
    name: N,
    filter?: ObjectFilter<C["catalogs"][N]>,
    opts?: number | { limit?: number; tables?: boolean },
  ): Promise<C["catalogs"][N][]>;
  query<N extends Str<keyof C["documents"]>>(
    kind: "document",
    name: N,
    filter?: ObjectFilter<C["documents"][N]>,
    opts?: number | { limit?: number; tables?: boolean },
  ): Promise<C["documents"][N][]>;
  registers: { [N in keyof C["accumulationRegisters"]]: TypedAccumulationReader<C["accumulationRegisters"][N]> } & {
    [N in keyof AccountingOf<C>]: TypedAccountingReader<AccountingOf<C>[N]>;
  };
  info: { [N in keyof C["informationRegisters"]]: TypedInformationReader<C["informationRegisters"][N]> };
  enumValues<N extends Str<keyof C["enums"]>>(name: N): { name: C["enums"][N]; synonym: string }[];
  error(message: string, target?: ErrorTarget): UserError;
  errors(problems: Problem[]): UserError;
  lock(key: string): Promise<void>;
}

// ---- accounting registers (server/accounting/): entries and their readers, typed ----------------

/** One accounting register as the generated types describe it. */
export interface AccountingRegisterTypes {
  /** The chart's analytics kinds (субконто) and the value each takes. */
  analytics: object;
  /** The chart's predefined account codes. */
  accounts: string;
  resources: object;
  attributes: object;
}

type AccountingOf<C extends ConfigurationTypes> = NonNullable<C["accountingRegisters"]>;
/** An account as an entry or a filter names it: a predefined code, another code ("62.05"), or the account's id. */
type AccountIn<R extends AccountingRegisterTypes> = R["accounts"] | (string & {});
type AnalyticsIn<R extends AccountingRegisterTypes> = { [K in keyof R["analytics"]]?: R["analytics"][K] | null };

/**
 * One entry (проводка) as a handler adds it: Дт and Кт accounts by code or id (only one of them
 * for an off-balance account), each side's analytics by kind name, the amount (and quantity:
 * Quantity for both sides, or QuantityDr / QuantityCr), the content and the register's
 * attributes; `period` defaults to the document's date.
 */
export type EntryInput<R extends AccountingRegisterTypes> = {
  period?: string;
  AccountDr?: AccountIn<R> | null;
  AccountCr?: AccountIn<R> | null;
  AnalyticsDr?: AnalyticsIn<R>;
  AnalyticsCr?: AnalyticsIn<R>;
  Amount: Decimal | string | number;
  Quantity?: Decimal | string | number | null;
  QuantityDr?: Decimal | string | number | null;
  QuantityCr?: Decimal | string | number | null;
  Content?: string | null;
} & Partial<Inputs<R["attributes"]>>;

export interface TypedEntryAdder<R extends AccountingRegisterTypes> {
  /** Adds one entry to the document's record set of this accounting register. */
  add(entry: EntryInput<R>): void;
  readonly rows: Row[];
}

/** A filter of an accounting register's reads: Account (with its sub-accounts) and the analytics slots. */
export type AccountingFilter<R extends AccountingRegisterTypes> = {
  Account?: AccountIn<R> | AccountIn<R>[];
  Analytics1?: string | string[];
  Analytics2?: string | string[];
  Analytics3?: string | string[];
};

type AccountingKey = {
  /** The account's code, and its id. */
  Account: string;
  AccountId: string;
  Analytics1: string | null;
  Analytics2: string | null;
  Analytics3: string | null;
  /** The analytics by kind name (null when none). */
  Analytics: Record<string, string> | null;
  period?: DateText;
};
export type AccountingBalanceRow<R extends AccountingRegisterTypes> = AccountingKey & {
  [K in keyof R["resources"] as `${Str<K>}Dr` | `${Str<K>}Cr`]: Decimal;
};
export type AccountingTurnoverRow<R extends AccountingRegisterTypes> = AccountingKey & {
  [K in keyof R["resources"] as `${Str<K>}TurnoverDr` | `${Str<K>}TurnoverCr`]: Decimal;
};

export type AccountingBalanceAndTurnoversRow<R extends AccountingRegisterTypes> = AccountingKey & {
  [K in keyof R["resources"] as
    | `${Str<K>}OpeningBalanceDr`
    | `${Str<K>}OpeningBalanceCr`
    | `${Str<K>}TurnoverDr`
    | `${Str<K>}TurnoverCr`
    | `${Str<K>}ClosingBalanceDr`
    | `${Str<K>}ClosingBalanceCr`]: Decimal;
};
/** Correspondence turnovers (1C's ОборотыДтКт): one row per (Дт, Кт) account pair; null on the empty side of a one-sided entry. */
export type AccountingCorrespondenceRow<R extends AccountingRegisterTypes> = {
  AccountDr: string | null;
  AccountCr: string | null;
} & R["resources"];
/** One entry of a period: its recorder (id and object name), each side's account code and analytics by kind. */
export type AccountingEntryRow<R extends AccountingRegisterTypes> = {
  period: string;
  recorder: string;
  recorderKind: string | null;
  AccountDr: string | null;
  AccountCr: string | null;
  AnalyticsDr: Record<string, string> | null;
  AnalyticsCr: Record<string, string> | null;
  Amount: Decimal;
  Content: string | null;
} & R["attributes"];

export interface TypedAccountingReader<R extends AccountingRegisterTypes> {
  /** Balances at `at` per account and analytics, each on its side (<R>Dr / <R>Cr, 1C's СуммаОстатокДт/Кт). */
  balance(at?: string, filter?: AccountingFilter<R>): Promise<AccountingBalanceRow<R>[]>;
  /** Debit and credit turnovers over [from, to] (<R>TurnoverDr / <R>TurnoverCr). */
  turnovers(
    from: string,
    to: string,
    periodicity?: "day" | "month" | "year" | "none",
    filter?: AccountingFilter<R>,
  ): Promise<AccountingTurnoverRow<R>[]>;
  /** Opening balance, turnovers and closing balance over [from, to] per account and analytics, balances on their sides. */
  balanceAndTurnovers(
    from: string,
    to: string,
    periodicity?: "day" | "month" | "year" | "none",
    filter?: AccountingFilter<R>,
  ): Promise<AccountingBalanceAndTurnoversRow<R>[]>;
  /** Correspondence turnovers over [from, to]; AccountDr / AccountCr filter each side (with sub-accounts). */
  correspondence(
    from: string,
    to: string,
    filter?: { AccountDr?: AccountIn<R> | AccountIn<R>[]; AccountCr?: AccountIn<R> | AccountIn<R>[] },
  ): Promise<AccountingCorrespondenceRow<R>[]>;
  /**
   * The entries of [from, to] in period and recorder order, `Account` filtering either side (with
   * sub-accounts); at most `limit` (default 1000, at most 5000).
   */
  entries(from: string, to: string, filter?: AccountingFilter<R>, limit?: number): Promise<AccountingEntryRow<R>[]>;
}

type RegisterOf<C extends ConfigurationTypes, N> = N extends keyof C["accumulationRegisters"]
  ? C["accumulationRegisters"][N]
  : N extends keyof C["informationRegisters"]
    ? C["informationRegisters"][N]
    : never;

export interface TypedPostingContext<C extends ConfigurationTypes, D, Regs extends string> extends TypedQueryApi<C> {
  doc: D;
  /** The record sets of the registers this document lists, by name. */
  movements: {
    [N in Regs]: N extends keyof AccountingOf<C>
      ? TypedEntryAdder<AccountingOf<C>[N]>
      : TypedMovementAdder<RegisterOf<C, N>>;
  };
  progress(done: number, total: number, stage?: string): void;
}

/** PostingItem typed by the configuration. */
export interface TypedPostingItem<C extends ConfigurationTypes, D, Regs extends string> {
  doc: D;
  movements: TypedPostingContext<C, D, Regs>["movements"];
  error(message: string, target?: ErrorTarget): UserError;
}

export interface TypedFillContext<C extends ConfigurationTypes, D> extends TypedQueryApi<C> {
  /** The document as the client sent it (unsaved changes included, so any field may be missing) or as stored. */
  doc: Partial<D>;
  table: string;
}

export interface TypedDocumentCheckContext<C extends ConfigurationTypes, D> extends TypedQueryApi<C> {
  doc: D;
  isNew: boolean;
}

/** TransitionContext typed by the configuration: `doc` is the document, `from`/`to` its status identifiers. */
export interface TypedTransitionContext<C extends ConfigurationTypes, D> extends TypedQueryApi<C> {
  doc: D;
  from: string;
  to: string;
  comment: string;
  at: string;
  user: { login: string; roles: string[] } | null;
}

export interface TypedCatalogContext<C extends ConfigurationTypes, O> extends TypedQueryApi<C> {
  /** The item being written (a new one has no id yet). */
  object: Omit<O, "id"> & { id?: string };
  isNew: boolean;
}

/** A document's tabular parts: its array-valued fields. */
type TablesOf<D> = { [K in keyof D]: D[K] extends readonly unknown[] ? K : never }[keyof D];

export interface DocumentModule<C extends ConfigurationTypes, N extends keyof C["documents"], Regs extends string> {
  /** Checks before write: throw ctx.error(...) to refuse. */
  beforeWrite?(ctx: TypedDocumentCheckContext<C, C["documents"][N]>): void | Promise<void>;
  /** Posting: add register records through ctx.movements. */
  post?(ctx: TypedPostingContext<C, C["documents"][N], Regs>): void | Promise<void>;
  /**
   * Set posting (PostManyContext): posts many new documents of this kind at once — the batch
   * path (createDocuments with post) then writes them, their movements and journal entries as
   * sets. Documents come in (date, order given) order; it must give each the movements `post`
   * would (share one implementation: post = postMany of one document).
   */
  postMany?(
    ctx: TypedQueryApi<C> & { progress(done: number, total: number, stage?: string): void },
    items: TypedPostingItem<C, C["documents"][N], Regs>[],
  ): void | Promise<void>;
  /** Fill handlers per tabular part (the UI's Заполнить): return the rows. */
  fill?: {
    [T in TablesOf<C["documents"][N]>]?: (
      ctx: TypedFillContext<C, C["documents"][N]>,
    ) => unknown[] | Promise<unknown[]>;
  };
  /** Workflow: inside a status transition (TransitionContext); may set header attributes or refuse. */
  onTransition?(ctx: TypedTransitionContext<C, C["documents"][N]>): void | Promise<void>;
  /** After posting, same transaction (DocumentPostedContext): may write the documents the posting gives rise to. */
  afterPost?(ctx: TypedQueryApi<C> & DocumentWriter & { doc: C["documents"][N] }): void | Promise<void>;
  /** POST /api/documents/<name>/import (ImportContext): a file into documents, all or nothing; returns the answer. */
  import?(ctx: TypedQueryApi<C> & Omit<ImportContext, keyof QueryApi>): unknown;
  /** GET /api/documents/<name>/export (ExportContext): a file made from documents. */
  export?(ctx: TypedQueryApi<C> & { params: Record<string, string> }): ExportedFile | Promise<ExportedFile>;
}

export interface CatalogModule<C extends ConfigurationTypes, N extends keyof C["catalogs"]> {
  beforeWrite?(ctx: TypedCatalogContext<C, C["catalogs"][N]>): void | Promise<void>;
}

/** What a define… helper returns: the module, with the object it is for (the loader checks it). */
export type Declared<M> = M & { readonly object: string };

/**
 * The define… helpers of one configuration, typed by its generated types (`types.gen.ts`
 * declares them with these types; it imports nothing at run time, so a configuration folder
 * works wherever it is copied). `Registers` maps each document to the registers its YAML lists.
 */
export type DocumentDefiner<C extends ConfigurationTypes, Registers extends { [N in keyof C["documents"]]: string }> = <
  N extends Str<keyof C["documents"]>,
>(
  name: N,
  module: DocumentModule<C, N, Registers[N]>,
) => Declared<DocumentModule<C, N, Registers[N]>>;

export type CatalogDefiner<C extends ConfigurationTypes> = <N extends Str<keyof C["catalogs"]>>(
  name: N,
  module: CatalogModule<C, N>,
) => Declared<CatalogModule<C, N>>;
