/** Styles of object and document forms: date inputs, tabular part tabs, the stand-in table, the footer. */
import { css } from "lit";

export const formStyles = css`
  :host { overflow: auto; }
  .req { color: #db2828; margin-left: 2px; }
  .date { display: inline-flex; align-items: center; gap: 2px; position: relative; }
  .date .pick { font: inherit; border: 1px solid #b3b3b3; background: #f7f7f7; border-radius: 2px; padding: 1px 4px 0; cursor: pointer; line-height: 18px; display: inline-flex; align-items: center; }
  .date .picker { position: absolute; left: 0; bottom: 0; width: 1px; height: 1px; opacity: 0; border: 0; padding: 0; pointer-events: none; }
  .head { display: flex; gap: 16px; align-items: center; padding: 4px 12px; flex-wrap: wrap; }
  .head label { color: #555; }
  .head input[name="number"] { width: 110px; }
  .tables { display: flex; flex-direction: column; margin: 6px 12px; min-height: 260px; flex: 1; }
  .tp-tabs { display: flex; border-bottom: 1px solid #ccc; }
  .tp-tab { font: inherit; border: 1px solid transparent; background: none; padding: 5px 12px; cursor: pointer; margin-bottom: -1px; color: #1a4ea1; }
  .tp-tab.active { border-color: #ccc; border-bottom-color: #fff; background: #fff; color: #333; font-weight: bold; }
  .tp-caption { color: #555; padding: 4px 0; }
  .tp-page { flex: 1; display: flex; flex-direction: column; min-height: 240px; }
  .tp-page[hidden] { display: none; }
  .tp-page tabular-part { flex: 1; min-height: 240px; }
  table.tp-fallback { border-collapse: collapse; width: 100%; }
  table.tp-fallback th, table.tp-fallback td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
  table.tp-fallback th { background: #f2f2f2; font-weight: normal; }
  table.tp-fallback td.num { text-align: right; }
  .footer { display: flex; gap: 8px; align-items: center; padding: 6px 12px 10px; }
  .footer input[name="comment"] { flex: 1; max-width: 700px; }
  .footer.error input { outline: 2px solid #db2828; outline-offset: -1px; }
  .footer .err { color: #db2828; font-size: 12px; }
  .posted-state { color: #21a336; }
  .signed-mark { color: #1a4ea1; font-size: 14px; margin-left: 6px; }
`;
