// Styles shared by the ЖКХ forms: the period selector.
import { css } from "lit";

export const monthStyles = css`
  .month-row { display: inline-flex; gap: 3px; align-items: center; }
  .month-row .step { padding: 1px 6px; }
`;
