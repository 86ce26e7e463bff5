/** Strings of document statuses (workflow) and attachments: the form's panels and the lists' status filter. */
import type { Strings } from "./strings.ts";

export const workflow: Strings = {
  "wf.status": { ru: "Статус", en: "Status" },
  "wf.allStatuses": { ru: "Все статусы", en: "All statuses" },
  "wf.mine": { ru: "Мои", en: "Mine" },
  "wf.mineTitle": { ru: "Только назначенные мне", en: "Only those assigned to me" },
  "wf.history": { ru: "История статусов", en: "Status history" },
  "wf.created": { ru: "создан", en: "created" },
  "wf.comment": { ru: "Комментарий к переходу", en: "Transition comment" },
  "wf.commentRequired": { ru: "Для этого перехода нужен комментарий", en: "This transition needs a comment" },
  "wf.writeFirst": { ru: "Запишите документ, чтобы менять его статус", en: "Write the document to change its status" },
  "wf.changed": { ru: "Статус изменен: {status}", en: "Status changed: {status}" },
  "att.title": { ru: "Вложения", en: "Attachments" },
  "att.add": { ru: "Добавить файл", en: "Add file" },
  "att.none": { ru: "Вложений нет", en: "No attachments" },
  "att.delete": { ru: "Удалить", en: "Delete" },
  "att.askDelete": { ru: "Удалить вложение «{name}»?", en: "Delete the attachment «{name}»?" },
  "att.hint": {
    ru: "Фотографии (JPEG, PNG, WEBP) и PDF, до {mb} МБ",
    en: "Photos (JPEG, PNG, WEBP) and PDF, up to {mb} MB",
  },
  "att.writeFirst": { ru: "Запишите объект, чтобы прикреплять файлы", en: "Write the object to attach files" },
  "att.uploaded": { ru: "Файл «{name}» прикреплен", en: "File «{name}» attached" },
};
