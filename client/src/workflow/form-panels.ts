/**
 * The panels object and document forms show below their tables: the status panel (a document
 * with workflow) and «Вложения» (an object with attachments). document-form.ts and
 * object-form.ts render formPanels(this); each panel reloads when the form's object changes.
 */
import { html, nothing } from "lit";
import type { FormBase } from "../forms/form-base.ts";
import { workflowOf } from "./status.ts";
import "./status-panel.ts";
import "./attachments-panel.ts";

export function formPanels(form: FormBase) {
  const m = form.meta;
  const w = form.kind === "document" ? workflowOf(m) : undefined;
  const stamp = `${form.objectId ?? ""}:${form.obj?.version ?? ""}`;
  return html`${w ? html`<status-panel .form=${form} .workflow=${w} stamp=${stamp}></status-panel>` : nothing}${
    m.attachments ? html`<attachments-panel .form=${form} stamp=${stamp}></attachments-panel>` : nothing
  }`;
}
