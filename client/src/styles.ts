/** Styles shared by lists and forms: the command bar, buttons, fields and their errors. */
import { css } from "lit";

export const commonStyles = css`
  :host { display: flex; flex-direction: column; height: 100%; box-sizing: border-box; font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; color: #333; }
  h1.title { font-size: 17px; font-weight: normal; margin: 8px 12px 6px; color: #444; }
  .bar { display: flex; gap: 4px; align-items: center; padding: 4px 12px 6px; flex-wrap: wrap; }
  .bar .spacer { flex: 1; }
  button.cmd { font: inherit; padding: 3px 10px; border: 1px solid #b3b3b3; background: linear-gradient(#fff, #ececec); border-radius: 2px; cursor: pointer; color: #333; white-space: nowrap; }
  button.cmd:hover:not(:disabled) { border-color: #888; }
  button.cmd:disabled { color: #aaa; cursor: default; }
  button.cmd.default { background: linear-gradient(#fde58a, #f7cf3e); border-color: #c9a227; font-weight: bold; }
  input, select, textarea { font: inherit; padding: 2px 4px; border: 1px solid #b3b3b3; border-radius: 2px; background: #fff; box-sizing: border-box; }
  input:focus, select:focus, textarea:focus { outline: none; border-color: #4a90d9; box-shadow: 0 0 0 1px #4a90d9; }
  input[readonly] { background: #f6f6f6; }
  .search { width: 220px; }
  .message { margin: 0 12px 6px; padding: 6px 10px; border: 1px solid #e0b4b4; background: #fff6f6; color: #9f3a38; white-space: pre-wrap; }
  .message.info { border-color: #b5d1a9; background: #f5fbf2; color: #2c662d; }
  .message .problems { margin: 0; padding-left: 18px; white-space: normal; }
  .fields { display: grid; grid-template-columns: max-content minmax(200px, 520px); gap: 6px 10px; align-items: start; padding: 6px 12px; }
  .fields label.caption { padding-top: 4px; color: #555; }
  .field { display: flex; flex-direction: column; gap: 2px; }
  .field.error input, .field.error select, .field.error ref-input { outline: 2px solid #db2828; outline-offset: -1px; }
  .field .err { color: #db2828; font-size: 12px; }
  .field input.num { text-align: right; width: 160px; }
  .field input.check { width: auto; align-self: flex-start; margin-top: 5px; }
  .grid { flex: 1; min-height: 200px; margin: 0 12px 8px; }
  .grid:focus { outline: 1px dotted #d9a400; outline-offset: -1px; }
  .state { display: inline-block; width: 16px; text-align: center; font-weight: bold; }
  .state-posted { color: #21a336; }
  .state-draft { color: #999; }
  .state-deleted { color: #db2828; }
  .state-item { color: #d9a400; font-size: 9px; }
`;
