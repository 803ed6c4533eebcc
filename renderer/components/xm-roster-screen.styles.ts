import { css } from 'lit';

export const rosterScreenStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
  header {
    background: var(--xm-surface);
    border-bottom: 1px solid var(--xm-border);
  }
  .bar,
  .tools,
  main {
    width: 100%;
    max-width: 880px;
    margin: 0 auto;
    padding-left: 24px;
    padding-right: 24px;
  }
  .bar {
    display: flex;
    align-items: flex-start;
    gap: 16px;
    padding-top: 16px;
  }
  .bar > button {
    flex: none;
    margin-top: 4px;
  }
  .title {
    flex: 1;
    min-width: 0;
  }
  h1 {
    margin: 0;
    font-size: 22px;
    line-height: 32px;
    font-weight: 650;
  }
  /* Who is signed in and how the connection is, on one quiet line that wraps when narrow. */
  .subtitle {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    min-width: 0;
  }
  .account {
    min-width: 0;
    font-size: 13px;
    color: var(--xm-text-secondary);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  @media (max-width: 640px) {
    .bar,
    .tools,
    main {
      padding-left: 16px;
      padding-right: 16px;
    }
  }
  .tools {
    padding-top: 16px;
    padding-bottom: 16px;
  }
  main {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding-top: 16px;
    padding-bottom: 24px;
  }
  xm-contact-list {
    flex: 1;
  }
  .notice {
    margin: 0;
    font-size: 13px;
    color: var(--xm-text-secondary);
  }
  .notice:empty {
    display: none;
  }
  .load-error {
    display: grid;
    justify-items: start;
    gap: 8px;
  }
  .load-error .error {
    margin: 0;
  }
`;
