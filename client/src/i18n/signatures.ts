/** Strings of signed documents: the «Подписан» mark, «Подписать», the «Подписи» panel. */
import type { Strings } from "./strings.ts";

export const signatures: Strings = {
  "doc.signed": { ru: "Подписан", en: "Signed" },
  "sign.sign": { ru: "Подписать", en: "Sign" },
  "sign.list": { ru: "Подписи", en: "Signatures" },
  "sign.listCount": { ru: "Подписи ({n})", en: "Signatures ({n})" },
  "sign.postFirst": {
    ru: "Подписать можно только проведенный документ без несохраненных изменений",
    en: "Only a posted document without unsaved changes can be signed",
  },
  "sign.unsupported": {
    ru: "Браузер не поддерживает подпись Ed25519 (WebCrypto)",
    en: "This browser cannot sign with Ed25519 (WebCrypto)",
  },
  "sign.done": { ru: "Документ подписан", en: "The document is signed" },
  "sign.none": { ru: "Документ не подписан", en: "The document has no signatures" },
  "sign.signer": { ru: "Подписал", en: "Signer" },
  "sign.at": { ru: "Когда", en: "When" },
  "sign.algorithm": { ru: "Алгоритм", en: "Algorithm" },
  "sign.verification": { ru: "Проверка", en: "Verification" },
  "sign.valid": { ru: "Подпись верна", en: "Valid" },
  "sign.void": { ru: "Аннулирована", en: "Voided" },
  "sign.changed": { ru: "Документ изменен", en: "Document changed" },
  "sign.invalid": { ru: "Неверна", en: "Invalid" },
  "sign.voidedAt": { ru: "аннулирована {at}: {reason}", en: "voided {at}: {reason}" },
  "sign.keyTitle": { ru: "Ключ браузера", en: "Browser key" },
  "list.signed": { ru: "Подписан", en: "Signed" },
};
