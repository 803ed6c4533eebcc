import { css } from 'lit';
import { presenceDotStyles } from './presence-dot.styles.js';

/** A contact row's presence (first line, after the name) and a failed edit's reason on a line of its own. */
export const presenceRowStyles = [
  presenceDotStyles,
  css`
    .line {
      display: flex;
      align-items: center;
      gap: 8px;
      min-width: 0;
      line-height: 20px;
    }
    .line .name {
      flex: 0 1 auto;
    }
    .line .presence {
      font-size: 13px;
      color: var(--xm-text-secondary);
    }
    .line .status-text {
      flex: 0 100 auto;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 13px;
      color: var(--xm-text-secondary);
      font-style: italic;
    }
    .line .status-text::before {
      content: '— ';
      font-style: normal;
    }
    /* A pending edit's mark (and a failed one's reason): under the address,
       wrapping, the row's full width, so narrow windows and the row's own
       action buttons never hide it. */
    .contact-row.has-pending {
      height: auto;
      min-height: 56px;
      padding-top: 8px;
      padding-bottom: 8px;
    }
    .has-pending .meta {
      flex-wrap: wrap;
      row-gap: 4px;
    }
    .has-pending .pill.pending-edit {
      flex: 1 0 100%;
      white-space: normal;
      overflow-wrap: anywhere;
      border-radius: 6px;
      padding: 2px 8px;
    }
  `,
];
