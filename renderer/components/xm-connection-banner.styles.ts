import { css } from 'lit';

export const bannerStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .banner {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 24px;
    font-size: 13px;
    color: var(--xm-text-secondary);
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    flex: none;
    background: var(--xm-offline);
  }
  .online .dot {
    background: var(--xm-online);
  }
  .connecting .dot {
    background: var(--xm-connecting);
    animation: pulse 1.2s ease-in-out infinite;
  }
  .offline,
  .error {
    padding: 2px 8px 2px 10px;
    border-radius: 999px;
    background: var(--xm-surface-hover);
    color: var(--xm-text);
  }
  .error.auth {
    background: var(--xm-danger-soft);
  }
  .error.auth .dot {
    background: var(--xm-danger);
  }
  .text {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  button {
    min-height: 20px;
    padding: 0 10px;
    font-size: 13px;
    border-radius: 999px;
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .connecting .dot {
      animation: none;
    }
  }
`;
