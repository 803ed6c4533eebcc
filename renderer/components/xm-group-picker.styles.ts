import { css } from 'lit';

export const groupPickerStyles = css`
  :host {
    display: block;
  }
  .head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 8px;
    margin-bottom: 4px;
  }
  .label {
    font-size: 13px;
    font-weight: 600;
  }
  .count {
    font-size: 13px;
    color: var(--xm-text-secondary);
  }
  #filter {
    margin-bottom: 4px;
    min-height: 36px;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 4px;
    /* About six options show; more scroll inside the list, so the dialog keeps its buttons on screen. */
    max-height: 216px;
    overflow-y: auto;
    border: 1px solid var(--xm-border-strong);
    border-radius: var(--xm-radius);
    background: var(--xm-surface);
  }
  li {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 32px;
    padding: 4px 8px;
    border-radius: calc(var(--xm-radius) - 2px);
    cursor: pointer;
    font-size: 14px;
    overflow-wrap: anywhere;
  }
  li:hover {
    background: var(--xm-surface-hover);
  }
  li:focus-visible {
    outline: 2px solid var(--xm-focus);
    outline-offset: -2px;
  }
  li[aria-selected='true'] {
    font-weight: 600;
  }
  .box {
    flex: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 18px;
    height: 18px;
    border: 1.5px solid var(--xm-border-strong);
    border-radius: 4px;
    font-size: 13px;
    line-height: 1;
    font-weight: 700;
  }
  li[aria-selected='true'] .box::before {
    content: '✓' / '';
  }
  li[aria-selected='true'] .box {
    background: var(--xm-accent);
    border-color: var(--xm-accent);
    color: var(--xm-on-accent);
  }
  .empty {
    margin: 0;
    padding: 8px 0;
    font-size: 13px;
    color: var(--xm-text-secondary);
    overflow-wrap: anywhere;
  }
  .new-group {
    margin-top: 4px;
    padding: 0 8px;
  }
  .naming {
    margin-top: 8px;
  }
  .naming-row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .naming-row input {
    flex: 1 1 160px;
    width: auto;
  }
  .naming-row button {
    min-height: 40px;
  }
  .problem,
  .said {
    margin: 4px 0 0;
    font-size: 13px;
    overflow-wrap: anywhere;
  }
  .problem {
    color: var(--xm-danger);
  }
  .said:empty {
    display: none;
  }
  .said {
    color: var(--xm-text-secondary);
  }
`;
