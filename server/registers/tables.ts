/**
 * Tables of an accumulation register (see server/storage/tables.ts for the other kinds):
 *  - acc_<r>            movements: recorder, line, period, record_kind (+1 receipt, -1 expense;
 *                       always +1 in a turnover register), dimensions, resources, attributes;
 *  - acc_<r>__totals    per dimension set and month: the month's turnovers and, in a balance
 *                       register, the cumulative balance at the month's end;
 *  - acc_<r>__balance   balance registers only: the balance after every movement (all time).
 * Dimensions are NOT NULL (an empty value instead of NULL) so keys compare with plain `=`.
 * Movements are indexed by their key (area, recorder, line) here, and by ddl.ts (the table
 * model knows plain btree indexes only) with
 *  - (area, dims…, period) INCLUDE (record_kind, resources): a key's movements over a period
 *    — the partial month balance() and turnovers() read — come from an index-only scan of
 *    adjacent index entries, not from one heap page per movement scattered over the table;
 *  - BRIN on (area, period) and, for the totals, on (area, month): scans of a period or month
 *    across all keys. Rows arrive roughly in time order, a BRIN costs next to nothing per
 *    written row, and — unlike a btree led by (area, month) — the planner never mistakes it
 *    for the way to find one key's rows, a mistake that made a posting rescan the totals.
 */
import type { AccumulationRegisterMeta } from "../metadata/types.ts";
import { accumBalanceTable, accumTable, accumTotalsTable, col } from "../storage/naming.ts";
import { areaColumn, fieldColumn, type ColumnDef, type TableDef } from "../storage/columns.ts";

export const dimColumns = (r: AccumulationRegisterMeta) => r.dimensions.map((d) => col(d.name));

function resourceColumn(f: AccumulationRegisterMeta["resources"][number], name: string, label: string): ColumnDef {
  return { name, sqlType: "numeric", notNull: true, default: "0", label: `${label}.${f.name}` };
}

export function accumulationTables(r: AccumulationRegisterMeta): TableDef[] {
  const label = `accumulation register ${r.name}`;
  const dims = r.dimensions.map((f) => fieldColumn(f, label, true));
  const movements: TableDef = {
    name: accumTable(r.name),
    label,
    columns: [
      areaColumn(label),
      { name: "recorder", sqlType: "uuid", notNull: true, label: `${label}.recorder` },
      { name: "recorder_kind", sqlType: "character varying(64)", notNull: true, label: `${label}.recorder_kind` },
      { name: "line", sqlType: "integer", notNull: true, label: `${label}.line` },
      { name: "period", sqlType: "timestamp(0) without time zone", notNull: true, label: `${label}.period` },
      { name: "record_kind", sqlType: "smallint", notNull: true, default: "1", label: `${label}.record_kind` },
      ...dims,
      ...r.resources.map((f) => ({ ...fieldColumn(f, label, true) })),
      ...r.attributes.map((f) => fieldColumn(f, label)),
    ],
    primaryKey: ["area", "recorder", "line"],
    // (area, dims…, period) INCLUDE (record_kind, resources) and the BRIN: see ddl.ts.
    indexes: [],
  };
  const totalsRes: ColumnDef[] =
    r.registerKind === "balance"
      ? r.resources.flatMap((f) => [
          resourceColumn(f, `${col(f.name)}_receipt`, label),
          resourceColumn(f, `${col(f.name)}_expense`, label),
          resourceColumn(f, col(f.name), label),
        ])
      : r.resources.map((f) => resourceColumn(f, col(f.name), label));
  const totals: TableDef = {
    name: accumTotalsTable(r.name),
    label: `${label}, totals`,
    columns: [
      areaColumn(label),
      { name: "month", sqlType: "date", notNull: true, label: `${label}.month` },
      ...dims,
      ...totalsRes,
    ],
    primaryKey: ["area", ...dimColumns(r), "month"],
    indexes: [],
  };
  if (r.registerKind !== "balance") return [movements, totals];
  const balance: TableDef = {
    name: accumBalanceTable(r.name),
    label: `${label}, balance`,
    columns: [areaColumn(label), ...dims, ...r.resources.map((f) => resourceColumn(f, col(f.name), label))],
    primaryKey: ["area", ...dimColumns(r)],
    indexes: [],
  };
  return [movements, totals, balance];
}
