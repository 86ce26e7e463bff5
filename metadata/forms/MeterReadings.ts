// Показания приборов учета: Период as a month; the readings checked as they are typed, by the
// rules the posting refuses them with (common/readings.ts): Расход is computed at once (with the
// rollover of a cyclic meter), a reading below the previous one on a meter that cannot roll over
// is marked in its cell with the posting's message (a negative one is refused by the metadata's
// `min: 0`), and Дата показания is filled when a reading is typed: the document's day when it
// falls in the month's window (after the 25th of the month before, up to the 25th), else the 25th.
import { Decimal } from "decimal.js";
import {
  DocumentForm,
  addMonths,
  get,
  registerForm,
  thisMonth,
  type ComputedMap,
  type FieldMeta,
  type Obj,
  type TabularElement,
} from "../../client/src/custom-forms-api.ts";
import { belowPreviousMessage, consumption, cutoffOf, meterRule, type MeterRule } from "../common/readings.ts";
import { monthField } from "./lib/month.ts";
import { monthStyles } from "./lib/styles.ts";

type Row = Record<string, unknown>;

const dec = (v: unknown): Decimal | null => {
  if (v === null || v === undefined || v === "") return null;
  try {
    return new Decimal(String(v));
  } catch {
    return null;
  }
};

export class MeterReadingsForm extends DocumentForm {
  static override styles = [...DocumentForm.styles, monthStyles];

  /** Each meter's rule, read on first need (a reading below the previous one); a promise while read. */
  private rules = new Map<string, MeterRule | Promise<void>>();
  /** Rows whose Reading this form marked (it takes off only its own marks). */
  private marked = new Set<number>();

  private readonly computedColumns: ComputedMap = {
    Consumption: { compute: (row) => this.consumptionOf(row), decimals: 4 },
  };

  protected override blank(): Obj {
    return { ...super.blank(), Month: thisMonth() };
  }

  protected override field(f: FieldMeta): unknown {
    return f.name === "Month" ? monthField(this.ctx(f)) : super.field(f);
  }

  protected override computed(table: string): ComputedMap | undefined {
    return table === "Readings" ? this.computedColumns : undefined;
  }

  protected override rowsEdited(table: string): void {
    if (table === "Readings") this.check();
  }

  private rule(meter: unknown): MeterRule | undefined {
    const r = typeof meter === "string" && meter ? this.rules.get(meter) : undefined;
    return r && !(r instanceof Promise) ? r : undefined;
  }

  private consumptionOf(row: Row): Decimal | null {
    const prev = dec(row.PreviousReading);
    const cur = dec(row.Reading);
    if (!prev || !cur) return null;
    return consumption(prev, cur, this.rule(row.Meter) ?? { rollsOver: false, capacity: 0 });
  }

  private get readings(): (TabularElement & { getRows(): Row[] }) | null {
    return this.renderRoot.querySelector("tabular-part[data-table='Readings']");
  }

  /** The date a typed reading gets: the document's day inside the month's window, else its 25th. */
  private defaultDate(): string | null {
    const month = String(this.obj?.Month ?? "").slice(0, 10);
    if (!month) return null;
    const cutoff = cutoffOf(month);
    const day = String(this.obj?.date ?? "").slice(0, 10);
    return day > cutoffOf(addMonths(month, -1)) && day <= cutoff ? day : cutoff;
  }

  /** Marks every reading below its previous one that the posting would refuse; fills empty dates. */
  private check(): void {
    const el = this.readings;
    if (!el?.getRows) return;
    const rows = el.getRows();
    rows.forEach((r, i) => {
      const cur = dec(r.Reading);
      const prev = dec(r.PreviousReading);
      if (cur && !r.ReadingDate && this.defaultDate()) el.setCell?.(i, "ReadingDate", this.defaultDate());
      let problem: string | null = null;
      if (cur && prev && cur.lt(prev) && typeof r.Meter === "string" && r.Meter) {
        const rule = this.rule(r.Meter);
        if (!rule) this.readRule(r.Meter);
        else if (consumption(prev, cur, rule) === null)
          problem = belowPreviousMessage(i + 1, cur, { Reading: prev }, rule);
      }
      if (problem) {
        el.showCellError?.(i, "Reading", problem);
        this.marked.add(i);
      } else if (this.marked.delete(i)) el.clearCellError?.(i, "Reading");
    });
  }

  /** Reads a meter and its type (once), then computes and checks again. */
  private readRule(meter: string): void {
    if (this.rules.has(meter)) return;
    const reading = (async () => {
      const m = await get<{ name: string; MeterType?: string }>(`/catalogs/Meters/${meter}`);
      const type = m.MeterType ? await get<Row>(`/catalogs/MeterTypes/${m.MeterType}`) : undefined;
      this.rules.set(meter, meterRule(m.name, type as Parameters<typeof meterRule>[1]));
      this.readings?.recompute?.();
      this.check();
    })().catch(() => {
      this.rules.delete(meter);
    });
    this.rules.set(meter, reading);
  }
}

customElements.define("meter-readings-form", MeterReadingsForm);
registerForm("document.MeterReadings", "meter-readings-form");
