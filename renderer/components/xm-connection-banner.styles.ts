import { css } from 'lit';

/**
 * A strip over the list, one line (two where the window is tall), the
 * whole text in its tooltip. Online it takes no room at all: the avatar's
 * dot says it, and the words stay for screen readers.
 */
export const bannerStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .banner {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 28px;
    padding: 2px 12px 2px 16px;
    font-size: 13px;
    line-height: 18px;
    background: var(--xm-surface-hover);
    border-bottom: 1px solid var(--xm-border);
    color: var(--xm-text);
  }
  .banner.online {
    position: absolute;
    width: 1px;
    height: 1px;
    min-height: 0;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
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
  .error.auth {
    background: var(--xm-danger-soft);
  }
  .error.auth .dot {
    background: var(--xm-danger);
  }
  .text {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow-wrap: anywhere;
  }
  @media (max-height: 560px) {
    .text {
      -webkit-line-clamp: 1;
    }
  }
  button {
    flex: none;
    min-height: 24px;
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
