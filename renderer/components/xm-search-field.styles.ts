import { css } from 'lit';

export const searchFieldStyles = css`
  :host {
    display: block;
  }
  .box {
    position: relative;
    display: flex;
    align-items: center;
  }
  .box > svg.icon {
    position: absolute;
    left: 12px;
    color: var(--xm-text-secondary);
    pointer-events: none;
  }
  input[type='search'] {
    min-height: 36px;
    padding-top: 6px;
    padding-bottom: 6px;
    padding-left: 36px;
    padding-right: 40px;
    background: var(--xm-bg);
    border-color: transparent;
  }
  input[type='search']:hover {
    border-color: var(--xm-border-strong);
  }
  input[type='search']:focus-visible {
    background: var(--xm-surface);
  }
  kbd {
    position: absolute;
    right: 8px;
    min-width: 24px;
    padding: 0 6px;
    border: 1px solid var(--xm-border-strong);
    border-radius: 4px;
    font: 12px/20px var(--xm-font);
    text-align: center;
    color: var(--xm-text-secondary);
    pointer-events: none;
  }
  input:focus + kbd,
  input:not(:placeholder-shown) + kbd {
    display: none;
  }
  /* The "/" hint only where there is room for it. */
  @container roster-screen (max-width: 479px) {
    kbd {
      display: none;
    }
    input[type='search'] {
      padding-right: 12px;
    }
  }
`;
