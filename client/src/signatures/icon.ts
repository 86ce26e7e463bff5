/** The «Подписан» mark: a small seal-and-ribbon icon (SVG, so it needs no emoji font). */
import { svg } from "lit";

const PATH = `<circle cx="8" cy="6" r="4.5" fill="#1a4ea1"/><path d="M5.2 9.5 4 15l4-2 4 2-1.2-5.5" fill="#1a4ea1"/><path d="M6 6l1.5 1.5L10.5 4.5" stroke="#fff" stroke-width="1.4" fill="none"/>`;

/** For lit templates. */
export const signedIcon = () =>
  svg`<svg class="signed-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" style="vertical-align:-2px"><circle cx="8" cy="6" r="4.5" fill="#1a4ea1"/><path d="M5.2 9.5 4 15l4-2 4 2-1.2-5.5" fill="#1a4ea1"/><path d="M6 6l1.5 1.5L10.5 4.5" stroke="#fff" stroke-width="1.4" fill="none"/></svg>`;

/** For DOM-built cells (AG Grid renderers). */
export const SIGNED_ICON_HTML = `<svg class="signed-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" style="vertical-align:-2px">${PATH}</svg>`;
