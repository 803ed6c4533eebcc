import { css } from 'lit';
import { presenceDotStyles } from './presence-dot.styles.js';

/**
 * A contact row's presence: the dot on the avatar's corner (its words kept
 * for screen readers, which read them in the row's name), the status text
 * after the name, and a pending edit's mark on a line of its own.
 */
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
    /* The name takes the room it needs first; what follows gets what is left and is cut first. */
    .line .name {
      flex: 0 1 auto;
    }
    .line .rest {
      flex: 1 1 0;
      min-width: 0;
      display: flex;
      align-items: center;
      gap: 8px;
      overflow: hidden;
    }
    .status {
      flex: 1 1 0;
      min-width: 0;
      display: flex;
      align-items: center;
      gap: 6px;
      overflow: hidden;
      font-size: 13px;
      color: var(--xm-text-secondary);
    }
    .status .sep {
      flex: none;
    }
    /* Upright: a slanted Arabic or Hebrew status would be a synthetic italic. */
    .status-text {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-style: normal;
    }
    .avatar .presence {
      position: absolute;
      right: -2px;
      bottom: -2px;
      border-radius: 50%;
      background: var(--xm-surface);
      padding: 2px;
    }
    .avatar .presence-dot {
      width: 8px;
      height: 8px;
    }
    .comfortable .avatar .presence-dot {
      width: 10px;
      height: 10px;
    }
    .avatar .xa .presence-dot {
      border-width: 2px;
    }
    /* Offline is said by the dimmed row, not by a mark. */
    .avatar .presence.offline {
      display: none;
    }
    .presence-words {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    /* A pending edit's mark (and a failed one's reason): under the address,
       wrapping, the row's full width, so narrow windows and the row's own
       action buttons never hide it. */
    .contact-row.has-pending {
      height: auto;
      min-height: 52px;
      padding-top: 6px;
      padding-bottom: 6px;
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
