import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    height: 100vh;
    background: var(--xm-bg);
    color: var(--xm-text);
    font-family: var(--xm-font);
    font-size: 14px;
    line-height: 20px;
    -webkit-font-smoothing: antialiased;
  }
  .startup {
    height: 100%;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 16px;
    color: var(--xm-text-secondary);
  }
  .startup h1 {
    margin: 0;
    font-size: 20px;
    color: var(--xm-text);
  }
  .startup .error {
    max-width: 480px;
    margin: 0;
  }
  /* A passing message ("Address copied."): above everything, out of the way, never covering a dialog's buttons. */
  .toast {
    position: fixed;
    left: 50%;
    bottom: 16px;
    transform: translateX(-50%);
    max-width: calc(100vw - 32px);
    margin: 0;
    z-index: 10;
    pointer-events: none;
  }
  .toast span {
    display: block;
    padding: 8px 16px;
    border-radius: var(--xm-radius);
    background: var(--xm-text);
    color: var(--xm-surface);
    box-shadow: var(--xm-shadow);
    font-size: 14px;
    overflow-wrap: anywhere;
  }
`;
