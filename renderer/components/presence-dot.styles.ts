import { css } from 'lit';

/**
 * The presence dot: colour and shape both tell the state (a ring when
 * offline, a bar when busy, a hollow centre when extended away), and words
 * are always beside it.
 */
export const presenceDotStyles = css`
  .presence {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    flex: none;
  }
  .presence-dot {
    flex: none;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--xm-offline);
    box-sizing: border-box;
  }
  .available .presence-dot,
  .chat .presence-dot {
    background: var(--xm-online);
  }
  .away .presence-dot {
    background: var(--xm-connecting);
  }
  .xa .presence-dot {
    background: transparent;
    border: 3px solid var(--xm-connecting);
  }
  .dnd .presence-dot {
    background: var(--xm-danger) linear-gradient(var(--xm-surface), var(--xm-surface)) center / 6px 2px no-repeat;
  }
  .offline .presence-dot {
    background: transparent;
    border: 2px solid var(--xm-offline);
  }
`;
