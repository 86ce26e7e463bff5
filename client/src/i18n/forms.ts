/** Strings of the grids' exports, the keyboard map (F1) and the saved form settings. */
import type { Strings } from "./strings.ts";

export const forms: Strings = {
  "export.csv": { ru: "CSV", en: "CSV" },
  "export.xlsx": { ru: "Excel", en: "Excel" },
  "export.csvTip": { ru: "Сохранить список в файл CSV", en: "Save the list as a CSV file" },
  "export.xlsxTip": { ru: "Сохранить в файл Excel (.xlsx)", en: "Save as an Excel file (.xlsx)" },
  "export.failed": { ru: "Не удалось выгрузить: {message}", en: "Export failed: {message}" },
};
