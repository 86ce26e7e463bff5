// Вид прибора учета, as the seed shows it: Наименование, Единица измерения, Тип показаний,
// Разрядность — and no Код. The catalog keeps its code (handed out on writing, used to sort
// the list and found by the search); the form just does not show it.
import { ObjectForm, registerForm, type FieldMeta } from "../../client/src/custom-forms-api.ts";

export class MeterTypesForm extends ObjectForm {
  protected override fields(): FieldMeta[] {
    return super.fields().filter((f) => f.name !== "code");
  }
}

customElements.define("meter-types-form", MeterTypesForm);
registerForm("catalog.MeterTypes", "meter-types-form");
