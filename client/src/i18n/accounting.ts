/** Strings of the accounting registers' views (entries in «Движения»). */
import type { Strings } from "./strings.ts";

export const accounting: Strings = {
  "entries.period": { ru: "Период", en: "Period" },
  "entries.dr": { ru: "Дт", en: "Dr" },
  "entries.analyticsDr": { ru: "Субконто Дт", en: "Analytics Dr" },
  "entries.cr": { ru: "Кт", en: "Cr" },
  "entries.analyticsCr": { ru: "Субконто Кт", en: "Analytics Cr" },
  "entries.amount": { ru: "Сумма", en: "Amount" },
  "entries.quantityDr": { ru: "Кол-во Дт", en: "Qty Dr" },
  "entries.quantityCr": { ru: "Кол-во Кт", en: "Qty Cr" },
  "entries.content": { ru: "Содержание", en: "Content" },
};
