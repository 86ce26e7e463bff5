/**
 * What configuration code (the .ts modules beside the metadata YAML) may use from the
 * platform: the contexts handed to posting, fill and check handlers. Values in `doc` and
 * `object` follow storage/values.ts#forCode: numbers are Decimal, references are UUID strings
 * (null when empty), dates are 'YYYY-MM-DD', datetimes 'YYYY-MM-DDTHH:MM:SS', enums value names.
 */
import type { Decimal } from "decimal.js";
import type { UserError, ErrorTarget } from "./errors.ts";

export type { ErrorTarget } from "./errors.ts";
export { UserError } from "./errors.ts";

export type Row = Record<string, any>;

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
  query(kind: "catalog" | "document", name: string, filter?: Row, opts?: number | { limit?: number; tables?: boolean }): Promise<Row[]>;
  registers: Record<string, AccumulationReader>;
  info: Record<string, InformationReader>;
  /** Builds an error to throw: it names the row and field, and the UI selects that cell. */
  error(message: string, target?: ErrorTarget): UserError;
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
}

export type { Decimal };
