/**
 * Distribution of a payment over debts, and consumption of advances — DOMAIN.md §6.
 * (Bodies being finished.)
 */
import { Decimal } from "decimal.js";
import type { PostingContext } from "../../server/api.ts";

export type DistributionMethod = "ProportionalToDebt" | "OldestFirst" | "ByServicePriority";

export interface Debt { service: string | null; debtPeriod: string; amount: Decimal; receiptOrder?: number; priority?: number }
export interface Allocation { service: string | null; debtPeriod: string; amount: Decimal }

export function distribute(_amount: Decimal, _debts: Debt[], _method: DistributionMethod): { allocations: Allocation[]; rest: Decimal } {
  throw new Error("distribute: not implemented yet");
}

export async function consumeAdvances(_ctx: PostingContext, _o: { month: string; accounts: string[]; method: string }): Promise<void> {
  throw new Error("consumeAdvances: not implemented yet");
}
