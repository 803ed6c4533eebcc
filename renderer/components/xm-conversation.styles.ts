import { css } from 'lit';

/**
 * The conversation is a column: header, (search), the history (takes the
 * rest), "typing…", the composer. Bubbles: theirs on the start side, ours on
 * the end side in the accent colour; text wraps anywhere it must (a 20,000
 * character word stays inside its bubble) and each body is isolated with
 * dir=auto, so an RTL body or a stray override character cannot reorder the
 * time or the next message.
 */
export const conversationStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-width: 0;
    min-height: 0;
    background: var(--xm-bg);
    container: conversation / inline-size;
  }
  header {
    flex: none;
    display: flex;
    align-items: center;
    gap: 10px;
    min-height: 56px;
    padding: 6px 12px;
    background: var(--xm-surface);
    border-bottom: 1px solid var(--xm-border);
  }
  .back {
    margin-inline-start: -4px;
  }
  .avatar {
    flex: none;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: var(--xm-accent-soft);
    color: var(--xm-on-accent-soft);
    font-weight: 650;
    font-size: 15px;
  }
  .who {
    flex: 1;
    min-width: 0;
  }
  h1,
  h2 {
    margin: 0;
    font-size: 15px;
    font-weight: 650;
    line-height: 20px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    unicode-bidi: isolate;
  }
  .presence {
    margin: 0;
    font-size: 12px;
    line-height: 16px;
    color: var(--xm-text-secondary);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    margin-inline-end: 6px;
    background: var(--xm-offline);
    vertical-align: 0;
  }
  .dot.available,
  .dot.chat {
    background: var(--xm-online);
  }
  .dot.away,
  .dot.xa {
    background: var(--xm-connecting);
  }
  .dot.dnd {
    background: var(--xm-danger);
  }
  .history {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .log {
    /* The containing block of what is positioned inside (the screen-reader-only text of each message):
       without it, that text sat where its message is, outside the scroller, and made the page itself
       scroll (a notification's "show this message" then scrolled the whole window up). */
    position: relative;
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    padding: 8px 16px 12px;
    display: flex;
    flex-direction: column;
  }
  /* Few messages sit at the bottom, by the composer, as in every messenger. */
  .log > :first-child {
    margin-top: auto;
  }
  .log:focus-visible {
    outline-offset: -2px;
  }
  .log-state {
    flex: 1;
    display: grid;
    align-content: center;
    justify-items: center;
    gap: 8px;
    padding: 16px;
  }
  .top {
    margin: 8px auto 12px;
    text-align: center;
    font-size: 13px;
    color: var(--xm-text-secondary);
    max-width: 420px;
  }
  .top.empty {
    margin-block: auto;
  }
  .error-line p {
    margin: 0 0 6px;
    color: var(--xm-danger);
  }
  .day {
    display: flex;
    justify-content: center;
    margin: 12px 0 8px;
  }
  .day span {
    padding: 2px 10px;
    border-radius: 999px;
    background: var(--xm-surface);
    border: 1px solid var(--xm-border);
    font-size: 12px;
    font-weight: 600;
    color: var(--xm-text-secondary);
  }
  .entry {
    display: flex;
    flex-direction: column;
    margin-top: 8px;
    border-radius: var(--xm-radius-large);
  }
  .entry.follows {
    margin-top: 2px;
  }
  .entry:focus-visible {
    outline-offset: 2px;
  }
  .message.in {
    align-items: flex-start;
  }
  .message.out {
    align-items: flex-end;
  }
  .bubble {
    max-width: min(75%, 640px);
    min-width: 64px;
    padding: 6px 10px 4px;
    border-radius: var(--xm-radius-large);
    background: var(--xm-surface);
    border: 1px solid var(--xm-border);
    color: var(--xm-text);
  }
  .out .bubble {
    background: var(--xm-accent);
    border-color: var(--xm-accent);
    color: var(--xm-on-accent);
  }
  .in:not(.follows) .bubble {
    border-start-start-radius: 4px;
  }
  .out:not(.follows) .bubble {
    border-start-end-radius: 4px;
  }
  .out.failed .bubble {
    background: var(--xm-danger-soft);
    border-color: var(--xm-danger);
    color: var(--xm-text);
  }
  .highlight .bubble {
    box-shadow:
      0 0 0 3px var(--xm-bg),
      0 0 0 5px var(--xm-warning);
  }
  .body {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    word-break: normal;
    unicode-bidi: isolate;
    font-size: 14px;
    line-height: 20px;
  }
  .body a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .meta {
    margin: 2px 0 0;
    display: flex;
    justify-content: flex-end;
    align-items: baseline;
    gap: 4px;
    font-size: 11px;
    line-height: 14px;
    opacity: 0.8;
    white-space: nowrap;
  }
  .state.read {
    font-weight: 800;
  }
  .failure {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 4px;
    max-width: min(75%, 640px);
  }
  .failure p {
    margin: 0;
    font-size: 13px;
    color: var(--xm-danger);
    overflow-wrap: anywhere;
  }
  .gap {
    align-items: center;
    margin: 12px 0;
  }
  .gap p {
    margin: 0;
    padding: 4px 12px;
    border: 1px dashed var(--xm-warning);
    border-radius: var(--xm-radius);
    background: var(--xm-warning-soft);
    color: var(--xm-text);
    font-size: 13px;
  }
  .newest {
    position: absolute;
    inset-inline-end: 16px;
    bottom: 12px;
    border-radius: 999px;
    box-shadow: var(--xm-shadow);
  }
  .typing {
    flex: none;
    margin: 0;
    padding: 0 20px;
    min-height: 20px;
    font-size: 12px;
    font-style: italic;
    color: var(--xm-text-secondary);
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .send-error {
    flex: none;
    margin: 0 12px 6px;
  }
  xm-composer {
    flex: none;
    padding: 0 12px 10px;
  }
  @container conversation (max-width: 480px) {
    .log {
      padding-inline: 8px;
    }
    .bubble,
    .failure {
      max-width: 88%;
    }
  }
`;
