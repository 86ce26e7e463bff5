/**
 * Shared by the redundancy tests: a temporary folder PostgreSQL's user can enter, free ports,
 * posting warehouse receipts through the platform, and the checks every test ends with —
 * which documents are posted, the Stock balance by product, and `verify` of every register.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { verify, balance } from "../../server/registers/index.ts";
import { tx } from "../../server/storage/db.ts";
import { ensureTraversable } from "../../server/redundancy/pgbin.ts";
import { inArea } from "../helpers/services.ts";

export function tempRoot(tag: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `zhkh-${tag}-`));
  chmodSync(dir, 0o755);
  ensureTraversable(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Stockroom {
  warehouse: string;
  products: string[];
}

export async function makeStockroom(p: Platform): Promise<Stockroom> {
  return inArea(p, async (ctx) => {
    const warehouse = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Склад ЦОД" })).id;
    const unit = (await cat.createCatalogItem(ctx, "Units", { name: "шт" })).id;
    const products: string[] = [];
    for (const n of ["Болт", "Гайка", "Шайба"])
      products.push((await cat.createCatalogItem(ctx, "Products", { name: n, Unit: unit, Price: "10.00" })).id);
    return { warehouse, products };
  });
}

export interface Receipt {
  id: string;
  product: string;
  quantity: number;
}

/** Creates and posts one receipt in one transaction; resolves only once it is committed. */
export async function postReceipt(
  p: Platform,
  s: Stockroom,
  n: number,
  date = "2025-03-10T10:00:00",
): Promise<Receipt> {
  const product = s.products[n % s.products.length];
  const quantity = 1 + (n % 7);
  const doc = await inArea(p, (ctx) =>
    docs.createDocument(
      ctx,
      "GoodsReceipt",
      { date, Warehouse: s.warehouse, Items: [{ Product: product, Quantity: quantity, Price: "10.00" }] },
      { post: true },
    ),
  );
  return { id: String(doc.id), product, quantity };
}

/** Quantity on hand by product id (Stock balance now). */
export async function stockByProduct(p: Platform): Promise<Map<string, string>> {
  const reg = p.conf.accumulationRegisters.get("Stock")!;
  const rows = await tx(p.db.app, 1, (c) => balance(c, reg));
  return new Map(rows.map((r) => [String(r.Product), new Decimal(String(r.Quantity)).toFixed(3)]));
}

/** Every difference `verify` finds between totals and movements, over all registers of area 1. */
export async function registerDifferences(p: Platform): Promise<string[]> {
  const out: string[] = [];
  for (const reg of p.conf.accumulationRegisters.values()) {
    for (const d of await tx(p.db.app, 1, (c) => verify(c, reg))) out.push(`${reg.name}: ${JSON.stringify(d)}`);
  }
  return out;
}

/** Sum of quantities by product over receipts. */
export function expectedStock(receipts: Receipt[]): Map<string, string> {
  const m = new Map<string, Decimal>();
  for (const r of receipts) m.set(r.product, (m.get(r.product) ?? new Decimal(0)).plus(r.quantity));
  return new Map([...m].map(([k, v]) => [k, v.toFixed(3)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
