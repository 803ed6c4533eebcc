import { css } from 'lit';

/** The native <dialog> look shared by the add/edit, remove and rename dialogs. */
export const dialogStyles = css`
  dialog {
    width: min(440px, calc(100vw - 32px));
    max-height: calc(100vh - 16px);
    overflow: auto;
    padding: var(--xm-dialog-padding, 24px);
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius-large);
    background: var(--xm-surface);
    color: var(--xm-text);
    box-shadow: var(--xm-shadow);
    font-family: var(--xm-font);
  }
  dialog::backdrop {
    background: rgb(10 12 16 / 45%);
  }
  h2 {
    margin: 0 0 16px;
    font-size: 18px;
    font-weight: 650;
  }
  p {
    margin: 0 0 16px;
    font-size: 14px;
    line-height: 20px;
  }
  /* The answer stays in sight when a short window (320×400, 200% zoom) makes the dialog scroll. */
  .buttons {
    position: sticky;
    bottom: calc(-1 * var(--xm-dialog-padding, 24px));
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin: 24px calc(-1 * var(--xm-dialog-padding, 24px)) calc(-1 * var(--xm-dialog-padding, 24px));
    padding: 12px var(--xm-dialog-padding, 24px) var(--xm-dialog-padding, 24px);
    background: var(--xm-surface);
  }
  @media (max-height: 520px) {
    dialog {
      --xm-dialog-padding: 16px;
    }
    h2 {
      margin-bottom: 8px;
    }
    .buttons {
      margin-top: 12px;
    }
  }
  /* A partial success: worth reading, not an error. */
  .warning {
    margin: 0 0 16px;
    padding: 8px 12px;
    border-left: 4px solid var(--xm-warning);
    border-radius: var(--xm-radius);
    background: var(--xm-warning-soft);
    color: var(--xm-text);
    font-size: 14px;
    overflow-wrap: anywhere;
  }
  /* Kept in the page while empty (a live region must exist before it speaks), but takes no room. */
  .warning:empty {
    display: none;
  }
  bdi.clip {
    display: inline-block;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    vertical-align: bottom;
  }
`;

/** A dialog's list of entries (blocked contacts, denied requests): one row each, divided, scrolling inside the dialog. */
export const dialogListStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: min(50vh, 360px);
    overflow-y: auto;
  }
  li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    padding: 8px 0;
  }
  li + li {
    border-top: 1px solid var(--xm-border);
  }
  .who {
    min-width: 0;
  }
`;
