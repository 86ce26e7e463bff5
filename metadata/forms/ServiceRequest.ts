// Заявка (docs/service-requests.md): the generic document form, with
//  - the fields the request computes shown read-only — the deadlines (from the type and the
//    received moment), the moments its transitions stamp (taken into work, completed, closed) and
//    a paid request's amount (from its works or the type's price). The API still takes them (an
//    import, the demo): Записать recomputes the deadlines and the amount whatever is typed;
//  (closing a paid request charges it: the transition «Закрыть» posts the request — `post: true`
//  in ServiceRequest.yaml — which writes the charge into Accruals and Settlements in the same
//  transaction, whether it is made from the status panel or through the API.)
import { DocumentForm, type FieldMeta, fieldRow, registerForm } from "../../client/src/custom-forms-api.ts";

const COMPUTED = new Set(["ResponseDeadline", "Deadline", "StartedAt", "CompletedAt", "ClosedAt", "Amount"]);

export class ServiceRequestForm extends DocumentForm {
  protected override field(f: FieldMeta): unknown {
    return COMPUTED.has(f.name) ? fieldRow(this.ctx(f, true)) : super.field(f);
  }
}

customElements.define("service-request-form", ServiceRequestForm);
registerForm("document.ServiceRequest", "service-request-form");
