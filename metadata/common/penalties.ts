/**
 * Penalties (пени), ЖК РФ ст.155 ч.14 and ч.14.1 (docs/penalties.md), in two modules:
 *  - penalty-arithmetic.ts — the pure part: the rules, days, fractions, key rate and its caps,
 *    moratoria, the court table (penaltyTable) and its explanation, due dates; no database;
 *  - penalty-accrual.ts — the part that reads the registers (settings, key rates, caps,
 *    moratoria, Settlements) and builds the monthly Penalties records (accruePenalties) and an
 *    account's full table (accountPenaltyTable).
 * This module re-exports both for the callers that want either.
 */
export * from "./penalty-arithmetic.ts";
export * from "./penalty-accrual.ts";
