/**
 * «Подписи»: the document's signatures (GET /api/documents/:name/:id/signatures) in a modal
 * table — signer, time, algorithm and the server's verification of each: «Подпись верна», or
 * voided with when and why (a change, repost or unpost of the document), or «Документ
 * изменен». Voided rows are struck through so the state is visible at a glance.
 */
import { html, render } from "lit";
import { t } from "../i18n/index.ts";
import { formatDateTime } from "../meta.ts";
import { modalButton, openModal } from "../widgets/dialog.ts";
import type { SignatureList } from "../../../server/http/api-types.ts";

export type { SignatureList, SignatureView } from "../../../server/http/api-types.ts";

const local = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return formatDateTime(
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
  );
};

/** The table of signatures (also used inside other panels). */
export function signaturesTable(list: SignatureList) {
  if (!list.signatures.length) return html`<div class="none">${t("sign.none")}</div>`;
  return html`<table class="signatures" style="border-collapse:collapse;width:100%">
    <thead><tr>${["sign.signer", "sign.at", "sign.algorithm", "sign.verification"].map((k) => html`<th style="text-align:left;border-bottom:1px solid #ccc;padding:3px 6px">${t(k)}</th>`)}</tr></thead>
    <tbody>
      ${list.signatures.map((s) => {
        const voided = s.verify.status === "void" || s.void !== null;
        const color = s.verify.valid ? "#21a336" : voided ? "#888" : "#db2828";
        return html`<tr class="signature ${s.verify.status}" data-status=${s.verify.status} style=${voided ? "text-decoration:line-through;color:#888" : ""}>
          <td style="padding:3px 6px">${s.subject ?? s.signer.login ?? ""}</td>
          <td style="padding:3px 6px">${local(s.signedAt)}</td>
          <td style="padding:3px 6px">${s.algorithm}</td>
          <td style="padding:3px 6px;color:${color}" title=${s.verify.message}>
            ${s.verify.valid ? "✓ " + t("sign.valid") : voided ? "✕ " + t("sign.void") : s.verify.status === "changed" ? "⚠ " + t("sign.changed") : "✕ " + t("sign.invalid")}
            ${s.void ? html`<div class="void-reason" style="font-size:12px">${t("sign.voidedAt", { at: local(s.void.at), reason: s.void.reason })}</div>` : ""}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** The modal with the table (closed by its button, Enter or Esc). */
export function showSignatures(list: SignatureList, title: string): void {
  const { modal, close } = openModal(`${t("sign.list")}: ${title}`);
  const body = document.createElement("div");
  body.className = "signatures-panel";
  body.style.cssText = "overflow:auto;min-width:640px";
  render(signaturesTable(list), body);
  const ok = modalButton(t("common.close"), true, close);
  ok.className = "signatures-close";
  modal.append(body, ok);
  modal.onKey = (e) => (e.preventDefault(), close());
  void modal.updateComplete.then(() => ok.focus());
}
