/**
 * The payment QR code's text, ГОСТ Р 56042-2014 ("Стандарты финансовых операций. Двумерные
 * символы штрихового кода для осуществления платежей физических лиц"): the header ST00012
 * (format version 0001, encoding 2 = UTF-8), then Key=Value pairs separated by "|". The five
 * required fields first (Name, PersonalAcc, BankName, BIC, CorrespAcc), then PayeeINN, KPP
 * (if any), Sum in kopecks (omitted when nothing is due), persAcc (the payer's account number)
 * and paymPeriod (MMYYYY). A "|" inside a value would break the format: it becomes a space.
 */
import { Decimal } from "decimal.js";

export interface GostPayment {
  name: string;
  personalAcc: string;
  bankName: string;
  bic: string;
  correspAcc: string;
  payeeInn: string;
  kpp?: string;
  sum: Decimal | string;
  persAcc: string;
  /** 'YYYY-MM-01' of the month paid for. */
  period: string;
}

const clean = (v: string) => v.replace(/[|\r\n]+/g, " ").trim();

export function gostPaymentString(p: GostPayment): string {
  const sum = new Decimal(String(p.sum)).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const fields: [string, string][] = [
    ["Name", p.name],
    ["PersonalAcc", p.personalAcc],
    ["BankName", p.bankName],
    ["BIC", p.bic],
    ["CorrespAcc", p.correspAcc],
    ["PayeeINN", p.payeeInn],
  ];
  if (p.kpp) fields.push(["KPP", p.kpp]);
  if (sum.gt(0)) fields.push(["Sum", sum.toFixed(0)]);
  fields.push(["persAcc", p.persAcc], ["paymPeriod", `${p.period.slice(5, 7)}${p.period.slice(0, 4)}`]);
  return ["ST00012", ...fields.map(([k, v]) => `${k}=${clean(v)}`)].join("|");
}
