// Вид прибора учета, as the seed shows it: Наименование, Единица измерения, Тип показаний,
// Разрядность — and no Код. The catalog keeps its code (handed out on writing, used to sort
// the list and found by the search); the form just does not show it.
import { registerForm } from "../../client/src/forms/custom.ts";
import { ObjectForm } from "../../client/src/forms/object-form.ts";
import type { FieldMeta } from "../../client/src/meta.ts";

export class MeterTypesForm extends ObjectForm {
  protected override fields(): FieldMeta[] {
    return super.fields().filter((f) => f.name !== "code");
  }
}

customElements.define("meter-types-form", MeterTypesForm);
registerForm("catalog.MeterTypes", "meter-types-form");
