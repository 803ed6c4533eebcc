import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * The icons of a contact row's action buttons, drawn by CSS instead of an
 * inline <svg> each: a fling draws about twenty new rows a frame, and two
 * svg elements with their paths were four of a row's fourteen elements to
 * style and lay out. The buttons are invisible until the row is hovered or
 * holds focus (xm-contact-list.styles.ts), so the icon exists only then.
 * The same shapes as renderer/icons.ts (a 24-unit box, 2-unit round
 * strokes), as masks painted in the button's text colour.
 */
const glyph = (...paths: string[]): CSSResult => {
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>${paths.map((d) => `<path d='${d}'/>`).join('')}</svg>`;
  return unsafeCSS(`url("data:image/svg+xml,${encodeURIComponent(svg)}")`);
};

const PENCIL = glyph('M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z');
const TRASH = glyph('M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3');
const UNDO = glyph('M9 14 4 9l5-5', 'M4 9h10.5a5.5 5.5 0 0 1 0 11H11');

export const rowGlyphStyles = css`
  .row:hover .actions button::before,
  .row:focus-within .actions button::before {
    content: '';
    flex: none;
    width: 16px;
    height: 16px;
    background: currentColor;
    mask-position: center;
    mask-size: 16px 16px;
    mask-repeat: no-repeat;
  }
  .row:hover .actions .glyph-edit::before,
  .row:focus-within .actions .glyph-edit::before {
    mask-image: ${PENCIL};
  }
  .row:hover .actions .glyph-remove::before,
  .row:focus-within .actions .glyph-remove::before {
    mask-image: ${TRASH};
  }
  .row:hover .actions .glyph-undo::before,
  .row:focus-within .actions .glyph-undo::before {
    mask-image: ${UNDO};
  }
  @media (forced-colors: active) {
    .row:hover .actions button::before,
    .row:focus-within .actions button::before {
      forced-color-adjust: none;
      background: ButtonText;
    }
  }
`;
