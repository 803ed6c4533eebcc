import { css } from 'lit';

/**
 * The screen is a column: header, the strips that appear only when needed
 * (progress, connection, requests), and the list, which takes the rest.
 * Every strip is one line, so the list keeps at least 60% of the height
 * down to 320×400 (test/e2e/screens.test.ts measures it). Full width: the
 * list becomes the left pane once conversations arrive.
 */
export const rosterScreenStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-width: 0;
    /* The left pane beside a conversation (issue 10): the header follows the pane's width, not the window's. */
    container: roster-screen / inline-size;
  }
  /* Narrow: the account control on its own line, the toolbar under it. Wide (below): one line. */
  header {
    flex: none;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    padding: 4px 12px 8px;
    background: var(--xm-surface);
    border-bottom: 1px solid var(--xm-border);
  }
  xm-account-menu {
    flex: 1 1 100%;
  }
  .tools {
    flex: 1 1 100%;
    min-width: 0;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  xm-search-field {
    flex: 1;
    min-width: 0;
  }
  .add {
    flex: none;
    min-height: 36px;
    padding: 0 14px 0 12px;
  }
  /* Too narrow for the words: the icon alone, the name kept for screen readers (and the tooltip). */
  @container roster-screen (max-width: 479px) {
    .add {
      width: 36px;
      padding: 0;
    }
    .add-words {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  }
  @container roster-screen (min-width: 600px) {
    header {
      flex-wrap: nowrap;
      padding: 8px 16px;
      gap: 16px;
    }
    xm-account-menu {
      flex: 0 1 auto;
      max-width: 40%;
    }
    .tools {
      flex: 1 1 auto;
    }
    xm-search-field {
      max-width: 560px;
      margin-left: auto;
    }
  }
  xm-roster-progress,
  xm-connection-banner,
  xm-requests-row {
    flex: none;
  }
  main {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  xm-contact-list {
    flex: 1;
  }
  /* The list is the pane itself: edge to edge, no card around it. */
  xm-contact-list::part(list) {
    border: none;
    border-radius: 0;
  }
  /*
   * What the last action did: a toast over the list's foot, so it takes no
   * height. The live region stays; each new text is a new node (keyed), which
   * restarts the fade and is announced once.
   */
  .notice {
    position: absolute;
    z-index: 5;
    left: 50%;
    bottom: 12px;
    transform: translateX(-50%);
    width: max-content;
    max-width: calc(100% - 24px);
    margin: 0;
    pointer-events: none;
  }
  .notice span:not(:empty) {
    display: block;
    padding: 8px 14px;
    border-radius: var(--xm-radius);
    background: var(--xm-text);
    color: var(--xm-bg);
    box-shadow: var(--xm-shadow);
    font-size: 13px;
    overflow-wrap: anywhere;
    animation: toast-out 0.2s linear 8s forwards;
  }
  @keyframes toast-out {
    to {
      opacity: 0;
      visibility: hidden;
    }
  }
  .load-error {
    display: grid;
    justify-items: start;
    gap: 8px;
    padding: 16px;
  }
  .load-error .error {
    margin: 0;
  }
`;
