import { css } from 'lit';

export const contactDialogStyles = css`
  .readonly {
    margin: 0 0 16px;
  }
  .readonly .value {
    display: block;
    overflow-wrap: anywhere;
    color: var(--xm-text-secondary);
  }
  .readonly .label {
    display: block;
    font-size: 13px;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin: 0 0 8px;
    padding: 0;
    list-style: none;
  }
  .chips:empty {
    display: none;
  }
  .chips li {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    max-width: 100%;
    padding: 0 4px 0 12px;
    border-radius: 999px;
    background: var(--xm-accent-soft);
    color: var(--xm-on-accent-soft);
    font-size: 13px;
    line-height: 28px;
  }
  .chips bdi {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chips button {
    min-height: 24px;
    width: 24px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }
  .chips button:hover {
    background: var(--xm-surface);
  }
  .group-add {
    display: flex;
    gap: 8px;
  }
  .group-add button {
    min-height: 40px;
  }
  /* "Ask to see their presence" (add) and the presence-sharing steps (edit). */
  .check {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 16px;
    font-size: 14px;
    font-weight: 450;
    cursor: pointer;
  }
  .check input {
    margin: 0;
    width: 16px;
    height: 16px;
    accent-color: var(--xm-accent);
  }
  .sharing {
    margin: 0 0 16px;
    padding: 12px 16px 16px;
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius);
  }
  .sharing legend {
    padding: 0 4px;
    font-size: 13px;
    font-weight: 600;
  }
  .sharing .sharing-state {
    margin: 0 0 12px;
    font-size: 13px;
    color: var(--xm-text-secondary);
  }
  .sharing-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .sharing-actions button {
    font-size: 13px;
    padding: 0 12px;
  }
  .sharing-actions button.quiet-danger {
    color: var(--xm-danger);
  }
`;
