import { css, unsafeCSS } from 'lit';
import { CONVERSATION_MIN_PX, LIST_DEFAULT_PX, LIST_MIN_PX } from '../conversation/pane-layout.js';

const px = (n: number) => unsafeCSS(`${n}px`);

/**
 * The two panes: the list at its remembered width (--xm-list-width, set by
 * the splitter), a 6 px splitter whose line is drawn in its middle, the
 * conversation taking the rest. Narrow: one pane, full width.
 */
export const panesStyles = css`
  .panes {
    height: 100%;
    display: flex;
    min-height: 0;
  }
  .list-pane,
  .conversation-pane {
    min-width: 0;
    height: 100%;
  }
  [hidden] {
    display: none !important;
  }
  .wide .list-pane {
    flex: none;
    /* Clamped here too: for the frame between a window made narrow and the
       render that follows (the media query's change comes with that frame),
       the remembered width must not push the page sideways. PaneLayoutController.max's rule. */
    width: min(
      var(--xm-list-width, ${px(LIST_DEFAULT_PX)}),
      max(${px(LIST_MIN_PX)}, 100vw - ${px(CONVERSATION_MIN_PX)})
    );
  }
  .conversation-pane {
    position: relative;
    flex: 1;
    display: flex;
    flex-direction: column;
  }
  .narrow .list-pane {
    flex: 1;
  }
  xm-roster-screen,
  xm-conversation {
    height: 100%;
  }
  xm-conversation {
    flex: 1;
  }
  .splitter {
    position: absolute;
    inset-block: 0;
    inset-inline-start: -3px;
    width: 6px;
    z-index: 2;
    cursor: col-resize;
    touch-action: none;
  }
  .splitter::before {
    content: '';
    position: absolute;
    inset-block: 0;
    inset-inline-start: 2px;
    width: 1px;
    background: var(--xm-border);
  }
  .splitter:hover::before,
  .splitter:focus-visible::before {
    width: 2px;
    background: var(--xm-focus);
  }
  .splitter:focus-visible {
    outline: none;
  }
  .no-conversation {
    flex: 1;
    display: grid;
    place-content: center;
    padding: 24px;
    text-align: center;
    color: var(--xm-text-secondary);
  }
  .no-conversation p {
    margin: 0;
    font-size: 15px;
  }
`;
