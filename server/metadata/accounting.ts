/**
 * Charts of accounts and accounting registers as metadata (1C's ПланСчетов, РегистрБухгалтерии).
 * load.ts hands their YAML (once schema.json has accepted it) to normalizeChart /
 * normalizeAccountingRegister, and the assembled configuration to addAccounting, which checks
 * them against each other and gives each the storage the platform already has:
 *  - a chart becomes the catalog of the same name (code, name, parent account — any account may
 *    be a parent — and the attributes Kind, OffBalance, Quantity, Analytics1..3), with two enums
 *    beside it: AccountKinds and <Chart>Analytics (its analytics kinds); the predefined accounts
 *    are written into each data area by server/accounting/accounts.ts;
 *  - an accounting register becomes a balance accumulation register of the same name (its
 *    `storage`), keyed by (Account, Analytics1..3), with the resources Amount (and Quantity) and
 *    the attributes Entry, CorrAccount, Content and its own: one movement per side of an entry.
 */
import { relative } from "node:path";
import { parseType } from "./types-parse.ts";
import type {
  AccountKind,
  AccountingRegisterMeta,
  AnalyticsKind,
  CatalogMeta,
  ChartOfAccountsMeta,
  Configuration,
  EnumMeta,
  Field,
  MetadataIssue,
  ObjectModule,
  PredefinedAccount,
} from "./types.ts";
import type { CatalogContext } from "../api.ts";

/** The analytics slots of an account (субконто 1..3). */
export const MAX_ANALYTICS = 3;
export const ANALYTICS_FIELDS = ["Analytics1", "Analytics2", "Analytics3"] as const;
/** Width of an analytics column: a reference's UUID or an enum value's name. */
export const ANALYTICS_LENGTH = 50;
/** The enum of account kinds the charts' Kind attribute takes. */
export const ACCOUNT_KINDS_ENUM = "AccountKinds";
export const analyticsEnumName = (chart: string) => `${chart}Analytics`;

const KIND_SYNONYMS: Record<AccountKind, string> = {
  active: "Активный",
  passive: "Пассивный",
  activePassive: "Активно-пассивный",
};

interface RawChart {
  name: string;
  synonym?: string;
  codeLength?: number;
  analytics?: { name: string; synonym: string; type: string }[];
  accounts: {
    code: string;
    name: string;
    kind: AccountKind;
    parent?: string;
    analytics?: string[];
    offBalance?: boolean;
    quantity?: boolean;
  }[];
}

interface RawAccountingRegister {
  name: string;
  synonym?: string;
  chartOfAccounts: string;
  quantity?: boolean;
  attributes?: { name: string; synonym?: string; type: string; required?: boolean }[];
}

interface BaseOf {
  name: string;
  synonym: string;
  file: string;
  moduleFile?: string;
}

function field(name: string, synonym: string, typeText: string, path: string): Field {
  const type = parseType(typeText);
  if (typeof type === "string") throw new Error(`platform field ${name}: ${type}`);
  return { name, synonym, type, typeText, required: false, path };
}

/** The catalog a chart is stored as. */
function chartCatalog(base: BaseOf, codeLength: number): CatalogMeta {
  const p = "/accounts";
  return {
    ...base,
    moduleFile: undefined,
    kind: "catalog",
    codeLength,
    nameLength: 150,
    hierarchical: true,
    itemHierarchy: true,
    presentation: "code",
    attributes: [
      field("Kind", "Вид", `enum.${ACCOUNT_KINDS_ENUM}`, p),
      field("OffBalance", "Забалансовый", "boolean", p),
      field("Quantity", "Количественный", "boolean", p),
      ...ANALYTICS_FIELDS.map((n, i) => field(n, `Субконто ${i + 1}`, `enum.${analyticsEnumName(base.name)}`, p)),
    ],
    tabularParts: [],
  };
}

export function normalizeChart(
  raw: RawChart,
  base: BaseOf,
  rel: string,
  issues: MetadataIssue[],
): ChartOfAccountsMeta | null {
  const analytics: AnalyticsKind[] = [];
  (raw.analytics ?? []).forEach((a, i) => {
    const type = parseType(a.type);
    const path = `/analytics/${i}`;
    if (typeof type === "string") {
      issues.push({ file: rel, path: `${path}/type`, message: type });
      return;
    }
    analytics.push({ name: a.name, synonym: a.synonym, type, typeText: a.type, path });
  });
  const codeLength = raw.codeLength ?? 8;
  const accounts: PredefinedAccount[] = raw.accounts.map((a, i) => ({
    code: a.code,
    name: a.name,
    kind: a.kind,
    parent: a.parent ?? null,
    analytics: a.analytics ?? [],
    offBalance: a.offBalance === true,
    quantity: a.quantity === true,
    path: `/accounts/${i}`,
  }));
  // Checks within the file: unique codes, parents declared before, analytics kinds known.
  const seen = new Map<string, PredefinedAccount>();
  const kinds = new Set(analytics.map((a) => a.name));
  for (const a of accounts) {
    if (a.code.length > codeLength)
      issues.push({
        file: rel,
        path: `${a.path}/code`,
        message: `the code "${a.code}" is longer than codeLength ${codeLength}`,
      });
    if (seen.has(a.code.toLowerCase()))
      issues.push({ file: rel, path: `${a.path}/code`, message: `duplicate account code "${a.code}"` });
    if (a.parent !== null) {
      const parent = seen.get(a.parent.toLowerCase());
      if (!parent)
        issues.push({
          file: rel,
          path: `${a.path}/parent`,
          message: `the parent account "${a.parent}" is not declared before "${a.code}" (declare a parent above its sub-accounts)`,
        });
      else if (parent.offBalance !== a.offBalance)
        issues.push({
          file: rel,
          path: `${a.path}/offBalance`,
          message: `sub-account "${a.code}" and its parent "${parent.code}" must both be off-balance or both not`,
        });
    }
    a.analytics.forEach((k, j) => {
      if (!kinds.has(k))
        issues.push({
          file: rel,
          path: `${a.path}/analytics/${j}`,
          message: `analytics kind "${k}" is not declared in analytics (declared: ${[...kinds].join(", ") || "none"})`,
        });
    });
    seen.set(a.code.toLowerCase(), a);
  }
  const b = { ...base, moduleFile: undefined };
  return { ...b, kind: "chartOfAccounts", codeLength, analytics, accounts, catalog: chartCatalog(b, codeLength) };
}

/** The entry's own fields of the storage register, which an accounting register's attributes may not reuse. */
const ENTRY_FIELDS = ["Account", ...ANALYTICS_FIELDS, "Amount", "Quantity", "Entry", "CorrAccount", "Content"];

export function normalizeAccountingRegister(
  raw: RawAccountingRegister,
  base: BaseOf,
  rel: string,
  issues: MetadataIssue[],
): AccountingRegisterMeta | null {
  const chart = raw.chartOfAccounts;
  const attributes: Field[] = [];
  (raw.attributes ?? []).forEach((a, i) => {
    const path = `/attributes/${i}`;
    const type = parseType(a.type);
    if (typeof type === "string") {
      issues.push({ file: rel, path: `${path}/type`, message: type });
      return;
    }
    if (ENTRY_FIELDS.some((n) => n.toLowerCase() === a.name.toLowerCase())) {
      issues.push({
        file: rel,
        path: `${path}/name`,
        message: `"${a.name}" is a field every entry has (${ENTRY_FIELDS.join(", ")}); name the attribute otherwise`,
      });
      return;
    }
    attributes.push({
      name: a.name,
      synonym: a.synonym ?? a.name,
      type,
      typeText: a.type,
      required: a.required === true,
      path,
    });
  });
  const resources = [field("Amount", "Сумма", "number(15,2)", "/")];
  if (raw.quantity === true) resources.push(field("Quantity", "Количество", "number(15,3)", "/quantity"));
  const b = { ...base, moduleFile: undefined };
  return {
    ...b,
    kind: "accountingRegister",
    chart,
    resources,
    attributes,
    storage: {
      ...b,
      kind: "accumulationRegister",
      registerKind: "balance",
      controlNegative: false,
      dimensions: [
        field("Account", "Счет", `catalog.${chart}`, "/chartOfAccounts"),
        ...ANALYTICS_FIELDS.map((n, i) => field(n, `Субконто ${i + 1}`, `string(${ANALYTICS_LENGTH})`, "/")),
      ],
      resources,
      attributes: [
        field("Entry", "Проводка", "number(9)", "/"),
        field("CorrAccount", "Корр. счет", `catalog.${chart}`, "/chartOfAccounts"),
        field("Content", "Содержание", "string(150)", "/"),
        ...attributes,
      ],
    },
  };
}

/**
 * The checks of an account the administrator writes (the chart's catalog module): a code given,
 * a kind chosen, a sub-account off-balance exactly when its parent is, no analytics kind twice.
 */
function accountChecks(chart: ChartOfAccountsMeta): ObjectModule {
  return {
    async beforeWrite(raw) {
      const ctx = raw as CatalogContext;
      const o = ctx.object;
      if (typeof o.code !== "string" || o.code.trim() === "")
        throw ctx.error(`${chart.synonym}: укажите код счета (например 62.05)`, { field: "code" });
      if (!o.Kind)
        throw ctx.error(`${chart.synonym}: укажите вид счета (активный, пассивный или активно-пассивный)`, {
          field: "Kind",
        });
      const kinds = ANALYTICS_FIELDS.map((f) => o[f]).filter((k) => typeof k === "string" && k !== "");
      const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
      if (twice)
        throw ctx.error(`${chart.synonym}: субконто «${twice}» указано дважды`, {
          field: ANALYTICS_FIELDS[kinds.lastIndexOf(twice)],
        });
      if (typeof o.parent === "string" && o.parent !== "") {
        const [parent] = await ctx.query("catalog", chart.name, { id: o.parent });
        if (parent && (parent.OffBalance === true) !== (o.OffBalance === true))
          throw ctx.error(
            `${chart.synonym}: счет ${String(parent.code)} ${parent.OffBalance ? "забалансовый" : "балансовый"} — его субсчет должен быть таким же`,
            { field: "OffBalance" },
          );
      }
    },
  };
}

/**
 * Puts the charts' catalogs and enums into the configuration and checks the charts and
 * accounting registers against the rest: names free, analytics types existing, each register's
 * chart existing.
 */
export function addAccounting(
  conf: Configuration,
  issues: MetadataIssue[],
  /** "kind.Name" of objects whose file failed the schema: they exist, so references to them are not errors. */
  invalid: Set<string> = new Set(),
): void {
  const at = (file: string, path: string, message: string) =>
    issues.push({ file: relative(process.cwd(), file), path, message });
  // A chart whose file failed the schema still exists as its catalog: references to it are not errors.
  for (const k of [...invalid]) if (k.startsWith("chartOfAccounts.")) invalid.add(`catalog.${k.slice(16)}`);
  const charts = [...conf.chartsOfAccounts.values()];
  if (charts.length > 0) {
    if (conf.enums.has(ACCOUNT_KINDS_ENUM))
      at(
        conf.enums.get(ACCOUNT_KINDS_ENUM)!.file,
        "/name",
        `the enum name ${ACCOUNT_KINDS_ENUM} is the platform's when the configuration has a chart of accounts: rename this enum`,
      );
    else
      conf.enums.set(ACCOUNT_KINDS_ENUM, {
        kind: "enum",
        name: ACCOUNT_KINDS_ENUM,
        synonym: "Виды счетов",
        file: charts[0].file,
        values: (Object.keys(KIND_SYNONYMS) as AccountKind[]).map((k) => ({ name: k, synonym: KIND_SYNONYMS[k] })),
      } satisfies EnumMeta);
  }
  for (const chart of charts) {
    if (conf.catalogs.has(chart.name)) {
      at(
        chart.file,
        "/name",
        `the name ${chart.name} is taken by catalog ${chart.name}: a chart is stored as a catalog`,
      );
      continue;
    }
    const enumName = analyticsEnumName(chart.name);
    if (conf.enums.has(enumName)) {
      at(chart.file, "/name", `the enum name ${enumName} is the chart's (its analytics kinds): rename that enum`);
      continue;
    }
    for (const a of chart.analytics) {
      const t = a.type;
      if (t.kind !== "ref") continue;
      const target = t.target === "catalog" ? conf.catalogs : conf.enums;
      if (!target.has(t.name) && !invalid.has(`${t.target}.${t.name}`))
        at(chart.file, `${a.path}/type`, `analytics kind ${a.name} refers to ${a.typeText}, which does not exist`);
    }
    conf.catalogs.set(chart.name, chart.catalog);
    conf.modules.set(`catalog.${chart.name}`, accountChecks(chart));
    conf.enums.set(enumName, {
      kind: "enum",
      name: enumName,
      synonym: `${chart.synonym}: виды субконто`,
      file: chart.file,
      // An enum needs a value: a chart without analytics kinds gets a placeholder no account uses.
      values: chart.analytics.length
        ? chart.analytics.map((a) => ({ name: a.name, synonym: a.synonym }))
        : [{ name: "None", synonym: "Нет" }],
    });
  }
  for (const reg of conf.accountingRegisters.values()) {
    if (!conf.chartsOfAccounts.has(reg.chart))
      at(
        reg.file,
        "/chartOfAccounts",
        `chart of accounts ${reg.chart} does not exist (charts: ${[...conf.chartsOfAccounts.keys()].join(", ") || "none"})`,
      );
    if (conf.accumulationRegisters.has(reg.name) || conf.informationRegisters.has(reg.name))
      at(reg.file, "/name", `duplicate name "${reg.name}": registers of every kind share one namespace`);
  }
}

/** Every register stored as an accumulation register: the accumulation registers and the accounting registers' storage. */
export const accumulationStorages = (conf: Configuration) => [
  ...conf.accumulationRegisters.values(),
  ...[...conf.accountingRegisters.values()].map((r) => r.storage),
];
