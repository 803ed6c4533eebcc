import { css } from 'lit';

/**
 * Design tokens, set once on xm-app's host: custom properties inherit through
 * every shadow root below it. Light by default, dark via prefers-color-scheme,
 * unless the user chose a theme in Settings: xm-app's `data-theme` ("light"
 * or "dark", absent for the system's) then wins over the system's.
 * Text colours keep at least 4.5:1 against the surfaces they sit on.
 */
const darkTokens = css`
  --xm-bg: #0f1114;
  --xm-surface: #171a1f;
  --xm-surface-hover: #1f232a;
  --xm-surface-selected: #1c2840;
  --xm-text: #e9ebef;
  --xm-text-secondary: #a4abb8;
  --xm-border: #272c34;
  --xm-border-strong: #3a414c;
  --xm-accent: #85a9ff;
  --xm-accent-hover: #a3bfff;
  --xm-on-accent: #0a1633;
  --xm-accent-soft: #1c2840;
  --xm-on-accent-soft: #b4c9ff;
  --xm-danger: #ff8d84;
  --xm-on-danger: #2d0703;
  --xm-danger-soft: #3a1614;
  --xm-warning: #f2c35b;
  --xm-warning-soft: #33280f;
  --xm-online: #4cc27c;
  --xm-connecting: #e5a93a;
  --xm-offline: #8b93a1;
  --xm-focus: #85a9ff;
  --xm-shadow: 0 1px 2px rgb(0 0 0 / 40%), 0 12px 32px rgb(0 0 0 / 45%);
  --xm-hue-0-bg: #1f3357;
  --xm-hue-0-fg: #bcd3ff;
  --xm-hue-1-bg: #2f2853;
  --xm-hue-1-fg: #d4c8ff;
  --xm-hue-2-bg: #4a2338;
  --xm-hue-2-fg: #ffc4df;
  --xm-hue-3-bg: #4b2a1c;
  --xm-hue-3-fg: #ffcdb6;
  --xm-hue-4-bg: #45361a;
  --xm-hue-4-fg: #f6d79a;
  --xm-hue-5-bg: #1d3d2a;
  --xm-hue-5-fg: #b5ebc7;
  --xm-hue-6-bg: #163c40;
  --xm-hue-6-fg: #aee8ee;
  --xm-hue-7-bg: #313d1e;
  --xm-hue-7-fg: #d3e6a8;
`;

export const themeTokens = css`
  :host {
    color-scheme: light;
    --xm-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif;
    --xm-bg: #f4f5f7;
    --xm-surface: #ffffff;
    --xm-surface-hover: #f1f3f6;
    --xm-surface-selected: #e9effc;
    --xm-text: #16181d;
    --xm-text-secondary: #565d6b;
    --xm-border: #e2e5ea;
    --xm-border-strong: #c9ced6;
    --xm-accent: #2453c9;
    --xm-accent-hover: #1d45ab;
    --xm-on-accent: #ffffff;
    --xm-accent-soft: #e8eefc;
    --xm-on-accent-soft: #1c43a6;
    --xm-danger: #b3261e;
    --xm-on-danger: #ffffff;
    --xm-danger-soft: #fdeceb;
    --xm-warning: #8a5a00;
    --xm-warning-soft: #fff4d6;
    --xm-online: #1f8a4c;
    --xm-connecting: #b77c00;
    --xm-offline: #7a818e;
    --xm-focus: #2453c9;
    --xm-shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 8px 24px rgb(16 24 40 / 10%);
    --xm-radius: 8px;
    --xm-radius-large: 12px;
    --xm-hue-0-bg: #dbe7fb;
    --xm-hue-0-fg: #1d4690;
    --xm-hue-1-bg: #e6e0fa;
    --xm-hue-1-fg: #4a2d9c;
    --xm-hue-2-bg: #f8dcea;
    --xm-hue-2-fg: #8a1f55;
    --xm-hue-3-bg: #fbe2d6;
    --xm-hue-3-fg: #8c3510;
    --xm-hue-4-bg: #f7eacb;
    --xm-hue-4-fg: #6f4b00;
    --xm-hue-5-bg: #d6f0df;
    --xm-hue-5-fg: #1c6336;
    --xm-hue-6-bg: #d3eef0;
    --xm-hue-6-fg: #0f5e66;
    --xm-hue-7-bg: #e4ecd2;
    --xm-hue-7-fg: #44591a;
  }
  :host([data-theme='dark']) {
    color-scheme: dark;
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([data-theme='light'])) {
      color-scheme: dark;
      ${darkTokens}
    }
  }
`;
