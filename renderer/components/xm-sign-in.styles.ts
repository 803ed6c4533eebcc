import { css } from 'lit';

export const signInStyles = css`
  :host {
    display: block;
    height: 100%;
    overflow: auto;
  }
  main {
    min-height: 100%;
    display: grid;
    place-items: center;
    padding: 32px 16px;
  }
  .card {
    width: min(400px, 100%);
    padding: 32px;
    background: var(--xm-surface);
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius-large);
    box-shadow: var(--xm-shadow);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 24px;
    color: var(--xm-text-secondary);
    font-size: 13px;
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  .logo {
    width: 24px;
    height: 24px;
    border-radius: 8px;
    background: linear-gradient(135deg, var(--xm-accent), #8b5cf6);
  }
  h1 {
    margin: 0 0 4px;
    font-size: 22px;
    line-height: 32px;
    font-weight: 650;
  }
  .lede {
    margin: 0 0 24px;
    color: var(--xm-text-secondary);
  }
  details {
    margin: 0 0 16px;
  }
  summary {
    cursor: pointer;
    width: fit-content;
    font-size: 13px;
    font-weight: 600;
    color: var(--xm-text-secondary);
    border-radius: 4px;
  }
  details[open] summary {
    margin-bottom: 16px;
  }
  .host-port {
    display: grid;
    grid-template-columns: 1fr 128px;
    gap: 8px;
  }
  .remember,
  .direct-tls {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    margin-bottom: 16px;
  }
  .remember input,
  .direct-tls input {
    width: 16px;
    height: 16px;
    margin: 2px 0 0;
    accent-color: var(--xm-accent);
  }
  .remember label,
  .direct-tls label {
    margin: 0;
    font-weight: 500;
    font-size: 14px;
  }
  .remember .hint,
  .direct-tls .hint {
    margin: 0;
  }
  .confirm {
    margin: 0 0 16px;
    padding: 12px;
    border-radius: var(--xm-radius);
    background: var(--xm-warning-soft);
    color: var(--xm-text);
  }
  .confirm p {
    margin: 0 0 8px;
  }
  .confirm .buttons {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .confirm button {
    font-size: 13px;
    padding: 0 12px;
  }
  .actions {
    display: flex;
    gap: 8px;
  }
  .actions .primary {
    flex: 1;
    min-height: 40px;
  }
`;
