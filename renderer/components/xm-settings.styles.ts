import { css } from 'lit';

/** The Settings dialog: titled sections, one choice per line with its hint below, the theme as a row of three. */
export const settingsStyles = css`
  dialog {
    width: min(560px, calc(100vw - 16px));
  }
  section {
    padding: 0 0 12px;
    margin: 0 0 12px;
    border-bottom: 1px solid var(--xm-border);
  }
  section:last-of-type {
    border-bottom: 0;
    margin-bottom: 0;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 15px;
    font-weight: 650;
  }
  fieldset {
    border: 0;
    margin: 0 0 8px;
    padding: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: 6px;
    font-size: 13px;
    font-weight: 600;
    color: var(--xm-text-secondary);
  }
  .choice {
    display: grid;
    grid-template-columns: auto 1fr;
    column-gap: 8px;
    align-items: start;
    margin: 0 0 10px;
    font-size: 14px;
    font-weight: 400;
    cursor: pointer;
  }
  .choice input,
  .segment input {
    margin: 2px 0 0;
    width: 16px;
    height: 16px;
    accent-color: var(--xm-accent);
  }
  .choice .hint {
    grid-column: 2;
    margin: 0;
    overflow-wrap: anywhere;
  }
  .choice.unavailable {
    cursor: default;
  }
  .choice.unavailable > span:not(.hint) {
    color: var(--xm-text-secondary);
  }
  .segments {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .segment {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 6px 12px;
    border: 1px solid var(--xm-border-strong);
    border-radius: var(--xm-radius);
    font-size: 14px;
    font-weight: 400;
    cursor: pointer;
  }
  .segment input {
    margin: 0;
  }
  .segment:has(input:checked) {
    border-color: var(--xm-accent);
    background: var(--xm-accent-soft);
    color: var(--xm-on-accent-soft);
  }
  .segment:has(input:focus-visible) {
    outline: 2px solid var(--xm-focus);
    outline-offset: 2px;
  }
  .status {
    margin: 0;
    min-height: 20px;
    font-size: 13px;
    color: var(--xm-text-secondary);
  }
  .buttons {
    margin-top: 8px;
  }
`;
