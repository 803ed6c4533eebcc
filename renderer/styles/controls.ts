import { css } from 'lit';

/** Buttons, fields and helpers shared by the screens and dialogs. */
export const controlStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--xm-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button {
    font: inherit;
    font-size: 14px;
    font-weight: 550;
    min-height: 32px;
    padding: 0 16px;
    border-radius: var(--xm-radius);
    border: 1px solid var(--xm-border-strong);
    background: var(--xm-surface);
    color: var(--xm-text);
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
  }
  button:hover {
    background: var(--xm-surface-hover);
  }
  button.primary {
    background: var(--xm-accent);
    border-color: var(--xm-accent);
    color: var(--xm-on-accent);
  }
  button.primary:hover {
    background: var(--xm-accent-hover);
    border-color: var(--xm-accent-hover);
  }
  button.danger {
    background: var(--xm-danger);
    border-color: var(--xm-danger);
    color: var(--xm-on-danger);
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: default;
  }
  button.quiet {
    border-color: transparent;
    background: transparent;
  }
  button.quiet:hover {
    background: var(--xm-surface-hover);
  }
  button.icon {
    padding: 0;
    width: 32px;
    color: var(--xm-text-secondary);
  }
  button.icon:hover {
    color: var(--xm-text);
  }
  svg.icon {
    width: 16px;
    height: 16px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  label {
    display: block;
    font-size: 13px;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .optional {
    font-weight: 400;
    color: var(--xm-text-secondary);
  }
  input[type='text'],
  input[type='password'],
  input[type='search'],
  input:not([type]) {
    font: inherit;
    font-size: 14px;
    width: 100%;
    min-height: 40px;
    padding: 8px 12px;
    border: 1px solid var(--xm-border-strong);
    border-radius: var(--xm-radius);
    background: var(--xm-surface);
    color: var(--xm-text);
  }
  input:focus-visible {
    outline-offset: 0;
    border-color: var(--xm-focus);
  }
  input[aria-invalid='true'] {
    border-color: var(--xm-danger);
  }
  input::placeholder {
    color: var(--xm-text-secondary);
    opacity: 0.85;
  }
  .field {
    margin-bottom: 16px;
  }
  .hint,
  .field-error {
    font-size: 13px;
    margin: 4px 0 0;
    color: var(--xm-text-secondary);
  }
  .field-error {
    color: var(--xm-danger);
  }
  /* Kept in the page while empty (a live region must exist before it speaks), but takes no room. */
  .field-error:empty {
    margin: 0;
  }
  .error {
    margin: 0 0 16px;
    padding: 8px 12px;
    border-radius: var(--xm-radius);
    background: var(--xm-danger-soft);
    color: var(--xm-danger);
    font-size: 14px;
    overflow-wrap: anywhere;
  }
  .error:empty {
    display: none;
  }
`;
