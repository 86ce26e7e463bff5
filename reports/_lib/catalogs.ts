/**
 * Catalog reads shared by the forms: accounts with their building, address and recipient
 * (the building's managing organization, else the first organization), services by id, enum
 * synonyms from the configuration the platform loaded.
 */
import type {
  BuildingsCatalog,
  Configuration,
  OrganizationsCatalog,
  PersonalAccountsCatalog,
  Query,
} from "../../metadata/types.gen.ts";
import { isOpen } from "../../metadata/common/accrual-inputs.ts";

export interface Recipient {
  name: string;
  inn: string;
  kpp: string;
  bankAccount: string;
  bankName: string;
  bik: string;
  corrAccount: string;
}

export interface AccountInfo {
  id: string;
  code: string;
  name: string;
  address: string;
  building: BuildingsCatalog | null;
  row: PersonalAccountsCatalog;
  recipient: Recipient;
}

const s = (v: unknown) => (v == null ? "" : String(v));

export function recipientOf(org: OrganizationsCatalog | undefined): Recipient {
  return {
    name: s(org?.name),
    inn: s(org?.Inn),
    kpp: s(org?.Kpp),
    bankAccount: s(org?.BankAccount),
    bankName: s(org?.BankName),
    bik: s(org?.Bik),
    corrAccount: s(org?.CorrAccount),
  };
}

/** The address of an account: the building's address and the apartment. */
export const addressOf = (
  a: Pick<PersonalAccountsCatalog, "Apartment">,
  b: Pick<BuildingsCatalog, "Address" | "name"> | null | undefined,
) => [s(b?.Address ?? b?.name), a.Apartment ? `кв.${a.Apartment}` : ""].filter(Boolean).join(", ");

/**
 * Accounts in code order: one (`account`), those of a list, of a building, or all; only those
 * open in `month` when it is given (a single named account is always kept).
 */
export async function accountsOf(
  ctx: Query,
  o: { account?: string | null; accounts?: string[] | null; building?: string | null; month?: string | null },
): Promise<AccountInfo[]> {
  const filter: { id?: string | string[]; Building?: string } = o.account
    ? { id: o.account }
    : o.accounts
      ? { id: o.accounts }
      : o.building
        ? { Building: o.building }
        : {};
  let rows = await ctx.query("catalog", "PersonalAccounts", filter);
  if (o.month && !o.account) rows = rows.filter((a) => isOpen(a, o.month!));
  const buildings = new Map((await ctx.query("catalog", "Buildings", {})).map((b) => [b.id, b]));
  const orgs = await ctx.query("catalog", "Organizations", {});
  const orgById = new Map(orgs.map((x) => [x.id, x]));
  return rows.map((a) => {
    const b = buildings.get(a.Building) ?? null;
    return {
      id: a.id,
      code: s(a.code),
      name: s(a.name),
      address: addressOf(a, b),
      building: b,
      row: a,
      recipient: recipientOf((b?.Organization == null ? undefined : orgById.get(b.Organization)) ?? orgs[0]),
    };
  });
}

export interface ServiceInfo {
  id: string;
  name: string;
  unit: string;
  order: number;
}

/** Services by id, with their unit and receipt order. */
export async function servicesById(ctx: Query): Promise<Map<string, ServiceInfo>> {
  const rows = await ctx.query("catalog", "Services", {});
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: s(r.name),
        unit: s(r.Unit),
        order: r.ReceiptOrder == null ? 999 : Number(String(r.ReceiptOrder)),
      },
    ]),
  );
}

/** Orders by the service's receipt order, then name. */
export const byReceiptOrder =
  (services: Map<string, ServiceInfo>) => (a: { service: string | null }, b: { service: string | null }) => {
    const x = services.get(a.service ?? ""),
      y = services.get(b.service ?? "");
    return (x?.order ?? 1000) - (y?.order ?? 1000) || (x?.name ?? "").localeCompare(y?.name ?? "");
  };

/** The synonyms of an enum's values, from the configuration the platform loaded. */
export function enumSynonyms(ctx: Query, name: keyof Configuration["enums"]): Map<string, string> {
  return new Map(ctx.enumValues(name).map((v) => [v.name, v.synonym]));
}
