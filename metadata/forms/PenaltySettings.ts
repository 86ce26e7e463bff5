// Настройка пени, as the seed shows it: Период (a month), Изменить срок оплаты + Срок оплаты,
// Изменить ставку + Ставка + Дата (and the calculation mode). Each checkbox enables its fields:
// what is not being changed is carried over by the posting from the month before, so its
// fields stay read-only until the box is ticked.
import {
  DocumentForm,
  fieldRow,
  registerForm,
  thisMonth,
  type FieldMeta,
  type Obj,
} from "../../client/src/custom-forms-api.ts";
import { css } from "lit";
import { monthField } from "./lib/month.ts";
import { monthStyles } from "./lib/styles.ts";

/** The checkbox that enables each field. */
const GATES: Record<string, string> = {
  DueDay: "ChangeDueDay",
  Mode: "ChangeRate",
  Rate: "ChangeRate",
  RateDate: "ChangeRate",
};

export class PenaltySettingsForm extends DocumentForm {
  static override styles = [
    ...DocumentForm.styles,
    monthStyles,
    css`
      input[readonly], select:disabled { color: #999; }
    `,
  ];

  protected override blank(): Obj {
    return { ...super.blank(), Month: thisMonth() };
  }

  protected override field(f: FieldMeta): unknown {
    if (f.name === "Month") return monthField(this.ctx(f));
    const gate = GATES[f.name];
    if (gate) return fieldRow(this.ctx(f, this.obj?.[gate] !== true));
    return super.field(f);
  }
}

customElements.define("penalty-settings-form", PenaltySettingsForm);
registerForm("document.PenaltySettings", "penalty-settings-form");
