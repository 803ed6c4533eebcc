import { css } from 'lit';

/**
 * The few rules the page itself needs (index.html may carry no inline style
 * under its CSP): no body margin, full height. Adopted as a constructed
 * stylesheet, which the CSP allows.
 */
const documentStyles = css`
  html,
  body {
    margin: 0;
    height: 100%;
  }
  /* The theme chosen in Settings (ThemeController) wins over the system's for the page's own parts. */
  :root[data-theme='light'] {
    color-scheme: light;
  }
  :root[data-theme='dark'] {
    color-scheme: dark;
  }
`;

export function adoptDocumentStyles(): void {
  const sheet = documentStyles.styleSheet;
  if (sheet && !document.adoptedStyleSheets.includes(sheet))
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
