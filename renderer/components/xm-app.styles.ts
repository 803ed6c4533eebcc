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
`;
