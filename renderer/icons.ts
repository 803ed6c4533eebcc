import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

// Small stroke icons drawn inline (no image requests under the strict CSP).
// Always beside a text label or inside a control with an accessible name.
const icon = (shape: SVGTemplateResult): TemplateResult =>
  html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${shape}</svg>`;

export const plusIcon = icon(svg`<path d="M12 5v14M5 12h14" />`);
export const searchIcon = icon(svg`<circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" />`);
export const pencilIcon = icon(svg`<path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z" />`);
export const trashIcon = icon(
  svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />`,
);
export const chevronIcon = icon(svg`<path d="m9 6 6 6-6 6" />`);
export const undoIcon = icon(svg`<path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />`);
export const moreIcon = icon(
  svg`<circle cx="5" cy="12" r="1.2" /><circle cx="12" cy="12" r="1.2" /><circle cx="19" cy="12" r="1.2" />`,
);
