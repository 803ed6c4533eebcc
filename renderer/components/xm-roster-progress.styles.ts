import { css } from 'lit';

export const rosterProgressStyles = css`
  :host {
    display: block;
  }
  .panel {
    display: grid;
    justify-items: center;
    gap: 10px;
    padding: 48px 24px;
    text-align: center;
    color: var(--xm-text-secondary);
  }
  .panel p {
    margin: 0;
    max-width: 380px;
  }
  .headline {
    font-size: 16px;
    font-weight: 600;
    color: var(--xm-text);
    font-variant-numeric: tabular-nums;
  }
  .track {
    position: relative;
    width: min(320px, 100%);
    height: 6px;
    border-radius: 3px;
    overflow: hidden;
    background: var(--xm-border);
  }
  .fill {
    width: var(--xm-progress, 0%);
    height: 100%;
    border-radius: inherit;
    background: var(--xm-accent);
    transition: width 0.25s linear;
  }
  /* Nothing says how far along it is: a band that sweeps, not a fill that lies. */
  .track.indeterminate .fill {
    position: absolute;
    width: 30%;
    animation: sweep 1.4s ease-in-out infinite;
  }
  @keyframes sweep {
    from {
      left: -30%;
    }
    to {
      left: 100%;
    }
  }
  .thin {
    position: relative;
    height: 3px;
    overflow: hidden;
    background: var(--xm-accent-soft);
  }
  .thin .fill {
    border-radius: 0;
  }
  .thin.indeterminate .fill {
    position: absolute;
    width: 30%;
    animation: sweep 1.4s ease-in-out infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
    .track.indeterminate .fill,
    .thin.indeterminate .fill {
      animation: none;
      left: 0;
      width: 100%;
      opacity: 0.5;
    }
  }
`;
