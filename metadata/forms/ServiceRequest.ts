// Заявка (docs/service-requests.md): the generic document form, with
//  - the fields the request computes shown read-only — the deadlines (from the type and the
//    received moment), the moments its transitions stamp (taken into work, completed, closed) and
//    a paid request's amount (from its works or the type's price). The API still takes them (an
//    import, the demo): Записать recomputes the deadlines and the amount whatever is typed;
//  - closing a paid request charges it: when the status panel's «Закрыть» has moved a request
//    with an amount from «Выполнена» to «Закрыта», the form posts it (Провести), which writes the
//    charge into Accruals and Settlements (ServiceRequest.ts). Through the API the accountant posts
//    after the transition.
import { DocumentForm, fieldRow, registerForm, type FieldMeta } from "../../client/src/custom-forms-api.ts";

const COMPUTED = new Set(["ResponseDeadline", "Deadline", "StartedAt", "CompletedAt", "ClosedAt", "Amount"]);

export class ServiceRequestForm extends DocumentForm {
  protected override field(f: FieldMeta): unknown {
    return COMPUTED.has(f.name) ? fieldRow(this.ctx(f, true)) : super.field(f);
  }

  override async load(): Promise<void> {
    const before = this.obj?.Status;
    await super.load();
    const o = this.obj;
    if (before === "Done" && o?.Status === "Closed" && o.Amount && Number(o.Amount) > 0) await this.postDoc();
  }
}

customElements.define("service-request-form", ServiceRequestForm);
registerForm("document.ServiceRequest", "service-request-form");
