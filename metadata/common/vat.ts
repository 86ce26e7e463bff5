/**
 * VAT (НК РФ ст.164, 168): the enum VatRates as percents and the tax of an amount, in one place
 * for the accrual's entries (common/bookkeeping.ts), SupplierInvoice and BankPayment.
 * 22 % is the general rate from 01.01.2026 (ст.164 п.3 in force from that date), 20 % before;
 * 10 % the reduced one (п.2). Without a rate (WithoutVat, empty) there is no tax: housing and
 * utility services of a management company are exempt (НК 149 п.3 пп.29, 30).
 */
import { Decimal } from "decimal.js";
import type { VatRates } from "../types.gen.ts";

const PERCENT: Record<VatRates, number | null> = { WithoutVat: null, Vat10: 10, Vat20: 20, Vat22: 22 };

/** The rate's percent, or null for none. */
export const vatPercent = (rate: VatRates | null | undefined): number | null => (rate ? PERCENT[rate] : null);

/** The VAT inside an amount that includes it (amount × p / (100 + p)), half up to kopecks, sign kept. */
export const vatWithin = (amount: Decimal, percent: number): Decimal =>
  amount
    .times(percent)
    .div(100 + percent)
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** The VAT charged on top of an amount (amount × p / 100), half up to kopecks, sign kept. */
export const vatOnTop = (amount: Decimal, percent: number): Decimal =>
  amount.times(percent).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
