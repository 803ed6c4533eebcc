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
`;
