/**
 * The metadata model: what the YAML files under a configuration folder become after loading.
 * Everything else in the platform (storage, registers, documents, HTTP, client) is driven by
 * these types and never by names of a particular configuration. See docs/metadata.md.
 */
import type {
  CatalogContext,
  DocumentCheckContext,
  DocumentPostedContext,
  ExportContext,
  ExportedFile,
  FillContext,
  ImportContext,
  PostingContext,
  PostManyContext,
  PostingItem,
  RecordsCheckContext,
  RecordsWrittenContext,
  TransitionContext,
} from "../api.ts";
import type { TypeDef } from "../http/api-types.ts";
import type { ListMeta } from "./list-meta.ts";

export type ObjectKind =
  | "enum"
  | "catalog"
  | "document"
  | "accumulationRegister"
  | "informationRegister"
  | "constant"
  | "subsystem"
  | "role"
  | "chartOfAccounts"
  | "accountingRegister";

/** A parsed attribute type (the same shape the client reads: http/api-types.ts). */
export type { TypeDef };

export interface Field {
  name: string;
  synonym: string;
  type: TypeDef;
  /** The type as written in YAML, e.g. "number(15,2)" or "catalog.Products". */
  typeText: string;
  required: boolean;
  /** A number field's least value (YAML `min`): checked as the user types and on posting. */
  min?: number;
  /** Where in the YAML file this field was declared, e.g. "attributes[2]". */
  path: string;
}

export interface TabularPart {
  name: string;
  synonym: string;
  attributes: Field[];
  path: string;
}

interface Base {
  kind: ObjectKind;
  name: string;
  synonym: string;
  /** Absolute path of the YAML file. */
  file: string;
  /** Absolute path of the behaviour module beside it (same name, .ts), if present. */
  moduleFile?: string;
}

export interface EnumMeta extends Base {
  kind: "enum";
  values: { name: string; synonym: string }[];
}

export type CatalogPresentation = "name" | "code" | "codeAndName";

export interface CatalogMeta extends Base {
  kind: "catalog";
  /** Length of the auto code (zero-padded); 0 = no code. */
  codeLength: number;
  nameLength: number;
  hierarchical: boolean;
  /** Any item may be another's parent (a chart of accounts' sub-accounts), not only groups. */
  itemHierarchy?: boolean;
  /** How an item is shown in reference fields, lists' refs and messages: "name" (default), "code" or "codeAndName" ("00000000003, Симак Г. В."). */
  presentation: CatalogPresentation;
  attributes: Field[];
  tabularParts: TabularPart[];
  /** Attached files allowed (server/attachments). */
  attachments?: boolean;
  /** The list form's columns, quick search, default order and row groups (metadata/list-meta.ts). */
  list?: ListMeta;
}

export interface DocumentMeta extends Base {
  kind: "document";
  numberLength: number;
  attributes: Field[];
  tabularParts: TabularPart[];
  /** Names of the registers (accumulation or information, recorder-written) it posts to. */
  registers: string[];
  /** Attached files allowed (server/attachments). */
  attachments?: boolean;
  /** Statuses and transitions (server/workflow). */
  workflow?: WorkflowMeta;
  /** The list form's columns, quick search, default order and row groups (metadata/list-meta.ts). */
  list?: ListMeta;
}

/** One status of a document's workflow. */
export interface WorkflowStatus {
  name: string;
  synonym: string;
  /** "#rrggbb", or null: the client's neutral colour. */
  color: string | null;
  final: boolean;
}

/** One declared transition (a YAML entry with several `from` becomes one per status). */
export interface WorkflowTransition {
  from: string;
  to: string;
  /** The button's caption. */
  synonym: string;
  /** Roles that may make it (an administrator always may); empty: anyone who may write the document. */
  roles: string[];
  /** Header attributes or tabular parts that must be filled first. */
  require: string[];
  commentRequired: boolean;
  /** Post (or repost) the document after the status is written, in the same transaction. */
  post: boolean;
}

/** A document's `workflow` (docs/metadata.md#workflow). */
export interface WorkflowMeta {
  statusField: string;
  initial: string;
  statuses: WorkflowStatus[];
  transitions: WorkflowTransition[];
  assigneeField?: string;
  /** With assigneeField referring to a catalog: its attribute holding the login. */
  assigneeUserField: string;
}

export interface AccumulationRegisterMeta extends Base {
  kind: "accumulationRegister";
  registerKind: "balance" | "turnover";
  dimensions: Field[];
  resources: Field[];
  attributes: Field[];
  /** Refuse a posting after which any touched key has a negative balance (balance registers). */
  controlNegative: boolean;
}

export interface InformationRegisterMeta extends Base {
  kind: "informationRegister";
  periodicity: "none" | "day" | "month";
  writeMode: "independent" | "recorder";
  dimensions: Field[];
  resources: Field[];
  attributes: Field[];
}

export interface ConstantMeta extends Base {
  kind: "constant";
  type: TypeDef;
  typeText: string;
}

export interface SubsystemMeta extends Base {
  kind: "subsystem";
  order: number;
  /** "catalog.Products", "document.Sale", "accumulationRegister.Stock", "report.Receipt"… */
  content: string[];
}

/** What a role may do with one object: catalogs read/write/delete, documents also post, registers read/write/delete. */
export type RightAction = "read" | "write" | "post" | "delete";

/**
 * A role (metadata/roles/*.yaml): rights per catalog, document and register ("*" = every object
 * of that kind), on constants, and the reports it may open ("*" = all). An administrator role
 * may do everything, including managing users.
 */
export interface RoleMeta extends Base {
  kind: "role";
  administrator: boolean;
  rights: {
    catalogs: Record<string, RightAction[]>;
    documents: Record<string, RightAction[]>;
    registers: Record<string, RightAction[]>;
    constants: RightAction[];
    reports: string[];
  };
}

export type MetaObject =
  | EnumMeta
  | CatalogMeta
  | DocumentMeta
  | AccumulationRegisterMeta
  | InformationRegisterMeta
  | ConstantMeta
  | SubsystemMeta
  | RoleMeta
  | ChartOfAccountsMeta
  | AccountingRegisterMeta;

/** The whole loaded configuration. Maps are keyed by object name. */
export interface Configuration {
  root: string;
  enums: Map<string, EnumMeta>;
  catalogs: Map<string, CatalogMeta>;
  documents: Map<string, DocumentMeta>;
  accumulationRegisters: Map<string, AccumulationRegisterMeta>;
  informationRegisters: Map<string, InformationRegisterMeta>;
  constants: Map<string, ConstantMeta>;
  subsystems: Map<string, SubsystemMeta>;
  /** Roles of users (rights per object and report). */
  roles: Map<string, RoleMeta>;
  /** Charts of accounts (each also stored as the catalog of the same name) and accounting registers. */
  chartsOfAccounts: Map<string, ChartOfAccountsMeta>;
  accountingRegisters: Map<string, AccountingRegisterMeta>;
  /** Behaviour modules, keyed "document.Sale", "catalog.Products"… */
  modules: Map<string, ObjectModule>;
}

// ---- bookkeeping: charts of accounts and accounting registers (server/accounting/) ----------

/** 1C's ВидСчета: where the balance of an account shows (active: debit, passive: credit, both: expanded). */
export type AccountKind = "active" | "passive" | "activePassive";

/** A kind of analytics (1C's вид субконто): a catalog or an enum the accounts' analytics are typed by. */
export interface AnalyticsKind {
  name: string;
  synonym: string;
  type: TypeDef;
  typeText: string;
  path: string;
}

/** A predefined account of a chart (YAML `accounts`). */
export interface PredefinedAccount {
  code: string;
  name: string;
  kind: AccountKind;
  /** The parent account's code (a sub-account), if any. */
  parent: string | null;
  /** Names of analytics kinds, at most three, in order (Analytics1..3). */
  analytics: string[];
  offBalance: boolean;
  quantity: boolean;
  path: string;
}

/**
 * A chart of accounts (1C's ПланСчетов). Stored as the catalog of the same name (its `catalog`,
 * also in Configuration.catalogs): code, name, parent account, Kind, OffBalance, Quantity,
 * Analytics1..3; the predefined accounts are written into every data area by the platform.
 */
export interface ChartOfAccountsMeta extends Base {
  kind: "chartOfAccounts";
  codeLength: number;
  analytics: AnalyticsKind[];
  accounts: PredefinedAccount[];
  catalog: CatalogMeta;
}

/**
 * An accounting register (1C's РегистрБухгалтерии) bound to a chart: every record is an entry
 * (Дт, Кт, analytics of each side, resources, Content). Stored as the balance accumulation
 * register `storage` of the same name (not in Configuration.accumulationRegisters): one movement
 * per side — debit a receipt, credit an expense — keyed by (Account, Analytics1..3).
 */
export interface AccountingRegisterMeta extends Base {
  kind: "accountingRegister";
  chart: string;
  /** Amount (always) and Quantity (with `quantity: true`). */
  resources: Field[];
  /** Attributes of an entry beside Content. */
  attributes: Field[];
  storage: AccumulationRegisterMeta;
}

/** One problem found while loading a configuration. */
export interface MetadataIssue {
  file: string;
  /** JSON-pointer-like path inside the file, e.g. "/attributes/2/type". */
  path: string;
  message: string;
}

export class MetadataError extends Error {
  constructor(public issues: MetadataIssue[]) {
    super(
      `The configuration has ${issues.length} error(s):\n` +
        issues.map((i) => `  ${i.file}${i.path ? " " + i.path : ""}: ${i.message}`).join("\n"),
    );
    this.name = "MetadataError";
  }
}

// ---- behaviour modules (the .ts beside the .yaml) -------------------------------------------
// Their contexts are the platform's published API (server/api.ts); a module declared with the
// configuration's defineDocument / defineCatalog (types.gen.ts) has them typed by its metadata.

/** A catalog's, document's or independent information register's behaviour module, as the engine calls it. */
export interface ObjectModule {
  /** Checks before write: throw ctx.error(...) to refuse (a register's: before its records are written directly). */
  beforeWrite?(ctx: DocumentCheckContext | CatalogContext | RecordsCheckContext): void | Promise<void>;
  /** An independent information register's: after its records were written or deleted directly, same transaction. */
  afterWrite?(ctx: RecordsWrittenContext): void | Promise<void>;
  /** Posting handler (documents): add register records through ctx.movements. */
  post?(ctx: PostingContext): void | Promise<void>;
  /** Set posting (documents): many new documents of the kind at once (server/documents/batch.ts). */
  postMany?(ctx: PostManyContext, items: PostingItem[]): void | Promise<void>;
  /** Fill handlers per tabular part (the UI's Заполнить): return the rows. */
  fill?: Record<string, (ctx: FillContext) => unknown[] | Promise<unknown[]>>;
  /** Workflow (documents): called inside a status transition, after its checks; may set header attributes (deadlines) or refuse. */
  onTransition?(ctx: TransitionContext): void | Promise<void>;
  /** Documents: after posting, same transaction; may write the documents the posting gives rise to. */
  afterPost?(ctx: DocumentPostedContext): void | Promise<void>;
  /** Documents: POST /api/documents/<name>/import — a file into documents, one transaction; returns the answer. */
  import?(ctx: ImportContext): unknown;
  /** Documents: GET /api/documents/<name>/export — a file made from documents. */
  export?(ctx: ExportContext): ExportedFile | Promise<ExportedFile>;
}
