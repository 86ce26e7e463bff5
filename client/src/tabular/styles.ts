/** Styles of <tabular-part>: toolbar, message bar and the cell classes the columns use. */
import { css } from "lit";

export const tabularStyles = css`
  :host { display: flex; flex-direction: column; height: 360px; min-height: 160px; font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; color: #333; }
  .toolbar { display: flex; align-items: center; gap: 2px; padding: 3px 0; flex-wrap: wrap; }
  .tb { display: inline-flex; align-items: center; gap: 4px; height: 24px; padding: 0 7px; font: inherit; color: #333;
    background: linear-gradient(#fff, #ececec); border: 1px solid #b5b5b5; border-radius: 3px; cursor: pointer; }
  .tb:hover:not(:disabled) { background: linear-gradient(#fffbe8, #fde9a0); border-color: #d7a81f; }
  .tb:disabled { opacity: 0.45; cursor: default; }
  .sep { width: 8px; }
  .messages { margin: 2px 0 4px; padding: 4px 8px; border: 1px solid #e5b5b5; background: #fdf0f0; color: #a02020; max-height: 96px; overflow: auto; position: relative; }
  .messages.info { border-color: #c9dcc9; background: #f1f8f1; color: #2a6a2a; }
  .messages div { cursor: pointer; }
  .messages .dismiss { position: absolute; right: 4px; top: 2px; border: 0; background: none; cursor: pointer; color: inherit; font-size: 14px; }
  .grid { flex: 1; min-height: 0; }
  .grid:focus { outline: 1px dotted #d7a81f; outline-offset: -1px; }
  .ag-cell.tp-num { text-align: right; font-variant-numeric: tabular-nums; }
  .ag-cell.tp-line { color: #777; text-align: right; }
  .ag-cell.tp-computed { background: #f7f7f2; }
  .ag-cell.tp-required { background-image: linear-gradient(to right, #e06060 50%, transparent 50%); background-size: 6px 1px; background-repeat: repeat-x; background-position: 0 calc(100% - 3px); }
  .ag-cell.tp-error { box-shadow: inset 0 0 0 1px #d33; background: #fdecec; }
  .ag-row-pinned .ag-cell.tp-total { font-weight: bold; background: #f2f2f2; }
  /* an overlay scrollbar (AG Grid's "invisible" mode) must not paint over the last column */
  .ag-body-vertical-scroll.ag-scrollbar-invisible .ag-body-vertical-scroll-viewport { background-color: transparent; }
  .ag-cell .tp-check { margin: 0; vertical-align: middle; }
`;
