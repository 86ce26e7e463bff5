/**
 * Penalties (пени), ЖК РФ ст.155 ч.14 — see DOMAIN.md §5. (Bodies being finished.)
 */
import { Decimal } from "decimal.js";
import type { PostingContext, QueryApi } from "../../server/api.ts";

export interface PenaltyPayment { date: string; amount: Decimal }
export interface PenaltyDebt {
  /** 'YYYY-MM-01' of the month charged. */
  debtMonth: string;
  /** Last day to pay without penalty ('YYYY-MM-DD'); day 1 is the day after. */
  dueDate: string;
  /** The charge (principal) of that month. */
  amount: Decimal;
  /** Payments that reduce this month's debt, each from the day after its date. */
  payments?: PenaltyPayment[];
}
export interface PenaltyRow {
  debtMonth: string; from: string; to: string; days: number; fraction: string;
  rate: Decimal; debt: Decimal; amount: Decimal;
}
export interface PenaltyInput {
  debts: PenaltyDebt[];
  /** Calculation date: days are counted through it (inclusive) for unpaid debt. */
  calcDate: string;
  /** Only penalty days on or after this date count (for a month's slice); default: all. */
  fromDate?: string;
  mode?: "Statutory" | "FixedDailyRate";
  /** FixedDailyRate: percent per day (the seed's 0.0344). */
  dailyRate?: Decimal;
  /** Statutory: the key rate history, ascending or not. */
  keyRates?: { date: string; rate: Decimal | string }[];
  /** Statutory: cap of the rate (percent) from `capFrom`; null = no cap. */
  cap?: { from: string; rate: Decimal | string } | null;
}

export function penaltyTable(_input: PenaltyInput): { rows: PenaltyRow[]; total: Decimal } {
  throw new Error("penaltyTable: not implemented yet");
}

export async function accruePenalties(_ctx: PostingContext, _o: { month: string; accounts: string[] }): Promise<void> {
  throw new Error("accruePenalties: not implemented yet");
}

export async function accountPenaltyTable(_ctx: QueryApi, _account: string, _date: string): Promise<{ rows: PenaltyRow[]; total: Decimal }> {
  throw new Error("accountPenaltyTable: not implemented yet");
}
