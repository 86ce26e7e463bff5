/** Strings of the journal form (Журнал регистрации) and the administration links. */
import type { Strings } from "./index.ts";

export const journal: Strings = {
  "shell.administration": { ru: "Сервис", en: "Service" },
  "journal.title": { ru: "Журнал регистрации", en: "Event log" },
  "journal.from": { ru: "Период с", en: "From" },
  "journal.to": { ru: "по", en: "to" },
  "journal.user": { ru: "Пользователь", en: "User" },
  "journal.object": { ru: "Объект", en: "Object" },
  "journal.action": { ru: "Действие", en: "Action" },
  "journal.allActions": { ru: "Все действия", en: "All actions" },
  "journal.allObjects": { ru: "Все объекты", en: "All objects" },
  "journal.apply": { ru: "Установить отбор", en: "Apply" },
  "journal.reset": { ru: "Сбросить", en: "Reset" },
  "journal.at": { ru: "Дата, время", en: "Date, time" },
  "journal.ip": { ru: "IP-адрес", en: "IP address" },
  "journal.details": { ru: "Данные", en: "Details" },
  "journal.field": { ru: "Реквизит", en: "Field" },
  "journal.before": { ru: "Было", en: "Before" },
  "journal.after": { ru: "Стало", en: "After" },
  "journal.rowsAdded": { ru: "Добавлены строки", en: "Rows added" },
  "journal.rowsRemoved": { ru: "Удалены строки", en: "Rows removed" },
  "journal.rowChanged": { ru: "Строка {line}", en: "Row {line}" },
  "journal.more": { ru: "и еще {n}", en: "and {n} more" },
  "journal.noDetails": { ru: "Без изменений данных", en: "No data changes" },
  "journal.pick": { ru: "Выберите запись журнала, чтобы увидеть изменения", en: "Select an entry to see its changes" },
  "journal.badPeriod": { ru: "Неверный период", en: "Bad period" },
};
