import { css } from 'lit';

export const contactListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .list {
    flex: 1;
    min-height: 0;
    background: var(--xm-surface);
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius-large);
    padding-bottom: 8px;
  }
  .row {
    position: relative;
    width: 100%;
    /* A row drawn, replaced or moved on a scroll frame is laid out and painted on its own, never the list around it. */
    contain: content;
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 0 8px 0 12px;
  }
  .row:focus-visible,
  .row :focus-visible {
    outline-offset: -2px;
  }

  /* Group headers: quiet labels with a count; the name as written (no case change: it is a name). */
  .group-row {
    height: 36px;
    padding-top: 4px;
    border-top: 1px solid var(--xm-border);
    cursor: default;
    gap: 8px;
  }
  /* A class, not [aria-posinset='1']: an attribute selector would restyle every row whose position moves. */
  .group-row.first {
    border-top: none;
  }
  .group-label {
    flex: 1;
    min-width: 0;
    display: flex;
    align-items: center;
    gap: 8px;
    color: var(--xm-text-secondary);
    font-size: 13px;
    font-weight: 600;
  }
  .group-row:hover .group-label {
    color: var(--xm-text);
  }
  .group-row:hover,
  .contact-row:hover {
    background: var(--xm-surface-hover);
  }
  .row:focus {
    background: var(--xm-surface-selected);
  }
  .chevron {
    display: inline-flex;
    transition: transform 120ms ease;
  }
  .group-row[aria-expanded='true'] .chevron {
    transform: rotate(90deg);
  }
  .group-name {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .count {
    flex: none;
    min-width: 20px;
    padding: 0 6px;
    border-radius: 999px;
    background: var(--xm-surface-hover);
    font-size: 12px;
    font-weight: 500;
    line-height: 18px;
    text-align: center;
  }
  /* Where a dragged contact would land. */
  .drop-target {
    background: var(--xm-accent-soft);
  }
  .group-row.drop-target {
    outline: 2px dashed var(--xm-accent);
    outline-offset: -2px;
  }

  /* Contact rows: one line (avatar with its presence dot, name, muted status), or two when comfortable. */
  .contact-row {
    height: 36px;
    gap: 10px;
    padding-left: 20px;
  }
  .comfortable .contact-row {
    height: 52px;
    gap: 12px;
  }
  /* With its conversation's last line under the name, a compact row takes two lines too. */
  .contact-row[data-preview] {
    height: 52px;
  }
  .contact-row[data-preview].has-pending {
    height: auto;
    min-height: 52px;
  }
  /* Comfortable rows show the last line in place of the address and status (the row keeps its height). */
  .comfortable .contact-row[data-preview] .meta .jid,
  .comfortable .contact-row[data-preview] .meta .status {
    display: none;
  }
  .comfortable .contact-row[data-preview]:not(.has-pending) .meta {
    display: none;
  }
  .preview {
    display: flex;
    min-width: 0;
    font-size: 13px;
    line-height: 18px;
    color: var(--xm-text-secondary);
    white-space: nowrap;
  }
  .preview .you {
    flex: none;
    white-space: pre;
  }
  .preview-text {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .contact-row[data-unread] .name,
  .contact-row[data-unread] .preview {
    color: var(--xm-text);
  }
  .contact-row[data-unread] .name {
    font-weight: 650;
  }
  /* The unread count: a pill at the line's end, in the accent (names no colour alone: the row's name says it). */
  .unread {
    flex: none;
    margin-left: 8px;
    min-width: 20px;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 12px;
    font-weight: 650;
    line-height: 20px;
    text-align: center;
    background: var(--xm-accent);
    color: var(--xm-on-accent);
  }
  /* A contact still arriving while the roster loads: its place, quietly, as tall as a contact's row. */
  .placeholder-row {
    height: 36px;
    gap: 10px;
    padding-left: 20px;
    color: var(--xm-text-secondary);
  }
  .comfortable .placeholder-row {
    height: 52px;
    gap: 12px;
  }
  .avatar.placeholder {
    background: var(--xm-surface-hover);
  }
  .avatar {
    position: relative;
    flex: none;
    width: 24px;
    height: 24px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    font-size: 12px;
    font-weight: 650;
  }
  .comfortable .avatar {
    width: 36px;
    height: 36px;
    font-size: 15px;
  }
  .text {
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  .name,
  .jid {
    display: block;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .name {
    font-size: 14px;
    font-weight: 500;
    line-height: 20px;
  }
  /* Offline contacts are quieter, not labelled. */
  .contact-row[data-show='offline'] .name {
    color: var(--xm-text-secondary);
  }
  .contact-row[data-show='offline'] .avatar {
    opacity: 0.55;
    filter: grayscale(0.6);
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    font-size: 13px;
    line-height: 18px;
    color: var(--xm-text-secondary);
    white-space: nowrap;
  }
  .jid {
    flex: 0 1 auto;
  }
  .meta .status {
    flex: 1 1 0;
  }
  .relation {
    flex: 0 1 auto;
    min-width: 0;
    margin-left: auto;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 12px;
    color: var(--xm-text-secondary);
  }
  .pill {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 12px;
    line-height: 18px;
    background: var(--xm-surface-hover);
    color: var(--xm-text-secondary);
  }
  .pill.pending-edit.failed {
    background: var(--xm-danger-soft);
    color: var(--xm-danger);
  }
  .actions,
  .rename {
    flex: none;
    display: flex;
    gap: 4px;
    opacity: 0;
  }
  .actions button.icon,
  button.rename {
    min-height: 28px;
    width: 28px;
  }
  /* Row actions float over the text's end (on the row's own background) instead of reserving room. */
  .actions {
    position: absolute;
    /* inset by the focus ring's width so the ring stays whole */
    right: 2px;
    top: 2px;
    bottom: 2px;
    align-items: center;
    padding: 0 8px 0 16px;
    background: inherit;
    border-radius: inherit;
  }
  .row:hover .actions,
  .row:focus-within .actions,
  .row:hover .rename,
  .row:focus-within .rename {
    opacity: 1;
  }

  /* Avatar colours: eight calm hues, each pair above 4.5:1 (theme.ts holds them, light and dark). */
  .hue-0 {
    background: var(--xm-hue-0-bg);
    color: var(--xm-hue-0-fg);
  }
  .hue-1 {
    background: var(--xm-hue-1-bg);
    color: var(--xm-hue-1-fg);
  }
  .hue-2 {
    background: var(--xm-hue-2-bg);
    color: var(--xm-hue-2-fg);
  }
  .hue-3 {
    background: var(--xm-hue-3-bg);
    color: var(--xm-hue-3-fg);
  }
  .hue-4 {
    background: var(--xm-hue-4-bg);
    color: var(--xm-hue-4-fg);
  }
  .hue-5 {
    background: var(--xm-hue-5-bg);
    color: var(--xm-hue-5-fg);
  }
  .hue-6 {
    background: var(--xm-hue-6-bg);
    color: var(--xm-hue-6-fg);
  }
  .hue-7 {
    background: var(--xm-hue-7-bg);
    color: var(--xm-hue-7-fg);
  }

  /* Loading, empty and no-match states. */
  .state {
    flex: 1;
    display: grid;
    align-content: center;
    justify-items: center;
    gap: 8px;
    padding: 48px 24px;
    text-align: center;
    color: var(--xm-text-secondary);
    background: var(--xm-surface);
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius-large);
  }
  .state p {
    margin: 0;
    max-width: 360px;
    overflow-wrap: anywhere;
  }
  .state-title {
    font-size: 16px;
    font-weight: 600;
    color: var(--xm-text);
  }
  .state button {
    margin-top: 8px;
  }
  .spinner {
    width: 24px;
    height: 24px;
    border-radius: 50%;
    border: 3px solid var(--xm-border-strong);
    border-top-color: var(--xm-accent);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner,
    .chevron {
      animation: none;
      transition: none;
    }
  }
`;
