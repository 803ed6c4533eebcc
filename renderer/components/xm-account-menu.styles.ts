import { css } from 'lit';

export const accountMenuStyles = css`
  :host {
    min-width: 0;
    max-width: 100%;
  }
  /* Avatar, then address over presence: the header's title, so it may shrink but never push the tools away. */
  .toggle {
    max-width: 100%;
    min-height: 40px;
    padding: 2px 10px 2px 2px;
    gap: 10px;
    justify-content: flex-start;
    border-color: transparent;
    background: transparent;
    border-radius: 999px;
    text-align: start;
  }
  .toggle:hover {
    background: var(--xm-surface-hover);
  }
  .avatar {
    position: relative;
    width: 36px;
    height: 36px;
    justify-content: center;
    border-radius: 50%;
    background: var(--xm-accent-soft);
    color: var(--xm-on-accent-soft);
    font-size: 16px;
    font-weight: 650;
  }
  /* The dot sits on the avatar's edge, ringed in the header's colour so it reads on any avatar. */
  .avatar .presence-dot {
    position: absolute;
    right: -1px;
    bottom: -1px;
    width: 14px;
    height: 14px;
    box-shadow: 0 0 0 2px var(--xm-surface);
  }
  .avatar.offline .presence-dot {
    background: var(--xm-surface);
  }
  .who {
    display: grid;
    min-width: 0;
    line-height: 18px;
  }
  .jid,
  .state {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .jid {
    font-size: 14px;
    font-weight: 600;
  }
  .state {
    font-size: 12px;
    font-weight: 400;
    color: var(--xm-text-secondary);
  }
  .panel {
    left: 0;
    width: min(300px, calc(100vw - 16px));
    max-height: calc(100vh - 64px);
    overflow-y: auto;
  }
  .signed-in-as {
    margin: 4px 8px 8px;
    font-size: 12px;
    color: var(--xm-text-secondary);
  }
  .menu-item {
    white-space: nowrap;
  }
  .menu-item[aria-pressed='true'] {
    background: var(--xm-surface-selected);
    font-weight: 600;
  }
  .menu-item .presence {
    width: 16px;
    justify-content: center;
  }
  .menu-item kbd {
    margin-left: auto;
    min-width: 20px;
    padding: 0 5px;
    border: 1px solid var(--xm-border-strong);
    border-radius: 4px;
    font: 12px/18px var(--xm-font);
    text-align: center;
    color: var(--xm-text-secondary);
  }
  hr {
    margin: 6px 0;
    border: none;
    border-top: 1px solid var(--xm-border);
  }
  .panel .error {
    margin: 8px 0 0;
    font-size: 13px;
  }
  dialog .error {
    margin-top: 0;
  }
  /* A short window (320×400, 200% zoom): every item still fits without scrolling. */
  @media (max-height: 520px) {
    .signed-in-as {
      display: none;
    }
    .panel .menu-item {
      min-height: 28px;
    }
    hr {
      margin: 4px 0;
    }
  }
`;
