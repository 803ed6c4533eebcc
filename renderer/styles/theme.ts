import { css } from 'lit';

/**
 * Design tokens, set once on xm-app's host: custom properties inherit through
 * every shadow root below it. Light by default, dark via prefers-color-scheme.
 * Text colours keep at least 4.5:1 against the surfaces they sit on.
 */
export const themeTokens = css`
  :host {
    color-scheme: light dark;
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
  }
  @media (prefers-color-scheme: dark) {
    :host {
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
    }
  }
`;
