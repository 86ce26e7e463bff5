// Оплата: Период оплаты as a month (◀ ▶, typed "11.2011" or "ноябрь 2011"), as every period of
// the ЖКХ forms; the rest is the generic form.
import { DocumentForm, registerForm, type FieldMeta } from "../../client/src/custom-forms-api.ts";
import { monthField } from "./lib/month.ts";
import { monthStyles } from "./lib/styles.ts";

export class PaymentForm extends DocumentForm {
  static override styles = [...DocumentForm.styles, monthStyles];

  protected override field(f: FieldMeta): unknown {
    return f.name === "PaidMonth" ? monthField(this.ctx(f)) : super.field(f);
  }
}

customElements.define("payment-form", PaymentForm);
registerForm("document.Payment", "payment-form");
