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
    padding: 0 8px 0 16px;
  }
  .row:focus-visible,
  .row :focus-visible {
    outline-offset: -2px;
  }

  /* Group headers: quiet small caps-like labels with a count, on the 8px grid. */
  .group-row {
    height: 48px;
    padding-top: 8px;
    border-top: 1px solid var(--xm-border);
  }
  .group-row[aria-posinset='1'] {
    border-top: none;
  }
  .group-heading {
    flex: 1;
    min-width: 0;
    margin: 0;
    font: inherit;
  }
  .group-toggle {
    width: 100%;
    justify-content: flex-start;
    gap: 8px;
    min-height: 32px;
    padding: 0 8px;
    margin-left: -8px;
    border: none;
    background: transparent;
    color: var(--xm-text-secondary);
    font-size: 12px;
    font-weight: 650;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .group-toggle:hover {
    background: var(--xm-surface-hover);
    color: var(--xm-text);
  }
  .chevron {
    display: inline-flex;
    transition: transform 120ms ease;
  }
  .group-toggle[aria-expanded='true'] .chevron {
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
    min-width: 24px;
    padding: 0 8px;
    border-radius: 999px;
    background: var(--xm-surface-hover);
    font-size: 12px;
    line-height: 20px;
    letter-spacing: 0;
    text-align: center;
  }

  /* Contact rows: name first, address and presence sharing quieter below. */
  .contact-row {
    height: 56px;
    cursor: default;
  }
  /* A contact still arriving while the roster loads: its place, quietly. */
  .placeholder-row {
    height: 56px;
    color: var(--xm-text-secondary);
  }
  .avatar.placeholder {
    background: var(--xm-surface-hover);
  }
  .contact-row:hover {
    background: var(--xm-surface-hover);
  }
  .contact-row:focus-within {
    background: var(--xm-surface-selected);
  }
  .avatar {
    flex: none;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    font-size: 15px;
    font-weight: 650;
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
    font-size: 15px;
    font-weight: 600;
    line-height: 20px;
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    font-size: 13px;
    line-height: 20px;
    color: var(--xm-text-secondary);
    white-space: nowrap;
  }
  /* When space runs out the address keeps most of it; the words and pills give way first. */
  .jid {
    flex: 0 0 auto;
    max-width: 60%;
  }
  .subscription,
  .pill {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .pill {
    padding: 0 8px;
    border-radius: 999px;
    font-size: 12px;
    line-height: 18px;
    background: var(--xm-accent-soft);
    color: var(--xm-on-accent-soft);
  }
  .pill.pending {
    background: var(--xm-warning-soft);
    color: var(--xm-warning);
  }
  .pill.pending-edit {
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

  /* Avatar colours: eight calm hues, each pair above 4.5:1. */
  .hue-0 {
    background: #dbe7fb;
    color: #1d4690;
  }
  .hue-1 {
    background: #e6e0fa;
    color: #4a2d9c;
  }
  .hue-2 {
    background: #f8dcea;
    color: #8a1f55;
  }
  .hue-3 {
    background: #fbe2d6;
    color: #8c3510;
  }
  .hue-4 {
    background: #f7eacb;
    color: #6f4b00;
  }
  .hue-5 {
    background: #d6f0df;
    color: #1c6336;
  }
  .hue-6 {
    background: #d3eef0;
    color: #0f5e66;
  }
  .hue-7 {
    background: #e4ecd2;
    color: #44591a;
  }
  @media (prefers-color-scheme: dark) {
    .hue-0 {
      background: #1f3357;
      color: #bcd3ff;
    }
    .hue-1 {
      background: #2f2853;
      color: #d4c8ff;
    }
    .hue-2 {
      background: #4a2338;
      color: #ffc4df;
    }
    .hue-3 {
      background: #4b2a1c;
      color: #ffcdb6;
    }
    .hue-4 {
      background: #45361a;
      color: #f6d79a;
    }
    .hue-5 {
      background: #1d3d2a;
      color: #b5ebc7;
    }
    .hue-6 {
      background: #163c40;
      color: #aee8ee;
    }
    .hue-7 {
      background: #313d1e;
      color: #d3e6a8;
    }
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
