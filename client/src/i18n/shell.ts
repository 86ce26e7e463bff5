/** Strings of the shell, lists and object/document forms. */
import type { Strings } from "./index.ts";

export const shell: Strings = {
  "app.title": { ru: "ЖКХ: учет и начисления", en: "Housing: accounting and billing" },
  "common.ok": { ru: "OK", en: "OK" },
  "common.cancel": { ru: "Отмена", en: "Cancel" },
  "common.yes": { ru: "Да", en: "Yes" },
  "common.no": { ru: "Нет", en: "No" },
  "common.close": { ru: "Закрыть", en: "Close" },
  "common.loading": { ru: "Загрузка…", en: "Loading…" },
  "common.error": { ru: "Ошибка", en: "Error" },
};
