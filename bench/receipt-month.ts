/**
 * The data a receipt benchmark prints (bench/receipts.ts, bench/pdf-merge.ts): `n` generated
 * accounts (bench/accrual.ts generate), an organization with bank requisites for every building,
 * and a posted GroupAccrual of the month — then ANALYZE, as a real database would be.
 */
import type { Platform } from "../server/platform.ts";
import { tx } from "../server/storage/db.ts";
import * as cat from "../server/catalogs/service.ts";
import * as docs from "../server/documents/service.ts";
import { generate } from "./accrual.ts";

export const RECEIPT_MONTH = "2024-06-01";

export async function prepareReceiptMonth(p: Platform, n: number): Promise<void> {
  await generate(p, n);
  await tx(p.db.app, 1, async (c) => {
    const ctx = { c, conf: p.conf, area: 1 };
    const org = await cat.createCatalogItem(ctx, "Organizations", {
      name: "ТСЖ Бенчмарк",
      Inn: "7701234567",
      Kpp: "770101001",
      BankAccount: "40703810900000000001",
      BankName: "ПАО Банк",
      Bik: "044525225",
      CorrAccount: "30101810400000000225",
    });
    await c.query("UPDATE cat_buildings SET organization = $1", [org.id]);
    await docs.createDocument(
      ctx,
      "GroupAccrual",
      {
        date: "2024-06-30T23:00:00",
        Month: RECEIPT_MONTH,
        AccrueServices: true,
        AccruePenalties: false,
        DistributionMethod: "ProportionalToDebt",
        Accounts: [],
      },
      { post: true },
    );
  });
  await p.db.owner.query("ANALYZE");
}
