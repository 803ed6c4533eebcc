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
  xm-group-picker {
    margin-bottom: 16px;
  }
  /* "Ask to see their status" (add). */
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
  .sharing-state .value {
    font-size: 14px;
  }
  .sharing-state .notice {
    display: block;
    margin-top: 4px;
    font-size: 13px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .sharing-state .notice:empty {
    margin: 0;
  }
  /* The sharing steps stand apart from Cancel and Save: at the start of the footer. */
  .buttons {
    flex-wrap: wrap;
  }
  xm-sharing-menu {
    margin-inline-end: auto;
  }
`;
