/**
 * How metadata names become SQL identifiers. One place, so every module agrees:
 * catalog Products -> cat_products, its tabular part Prices -> cat_products__prices,
 * document GoodsReceipt -> doc_goods_receipt, accumulation register Stock -> acc_stock
 * (+ acc_stock__totals), information register PriceHistory -> inf_price_history,
 * attribute TariffKind -> tariff_kind. System tables start with an underscore.
 */
/** snake's results: a write converts the same attribute names for every object (a set of 10,000 documents). */
const snakes = new Map<string, string>();

export function snake(name: string): string {
  let out = snakes.get(name);
  if (out !== undefined) return out;
  out = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
  if (snakes.size < 10_000) snakes.set(name, out); // metadata names: a few thousand at most
  return out;
}

export const col = (attr: string) => snake(attr);
export const catalogTable = (name: string) => `cat_${snake(name)}`;
export const documentTable = (name: string) => `doc_${snake(name)}`;
export const tabularTable = (ownerTable: string, tp: string) => `${ownerTable}__${snake(tp)}`;
export const accumTable = (name: string) => `acc_${snake(name)}`;
export const accumTotalsTable = (name: string) => `acc_${snake(name)}__totals`;
export const accumBalanceTable = (name: string) => `acc_${snake(name)}__balance`;
export const infoTable = (name: string) => `inf_${snake(name)}`;
export const CONSTANTS_TABLE = "constants";

/** Double-quotes an identifier for SQL (names come from validated metadata, this is belt and braces). */
export function q(ident: string): string {
  return '"' + ident.replace(/"/g, '""') + '"';
}

/** A string literal for SQL text (standard_conforming_strings is on, PostgreSQL's default). */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
