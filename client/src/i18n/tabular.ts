/** Strings of the tabular-part editor, the pickers and the reference inputs. */
import type { Strings } from "./index.ts";

export const tabular: Strings = {
  "tabular.add": { ru: "Добавить", en: "Add" },
  "tabular.copy": { ru: "Скопировать", en: "Copy" },
  "tabular.delete": { ru: "Удалить", en: "Delete" },
  "tabular.up": { ru: "Переместить вверх", en: "Move up" },
  "tabular.down": { ru: "Переместить вниз", en: "Move down" },
  "tabular.pick": { ru: "Подбор", en: "Pick" },
  "tabular.fill": { ru: "Заполнить", en: "Fill" },
  "tabular.clear": { ru: "Очистить", en: "Clear" },
};
