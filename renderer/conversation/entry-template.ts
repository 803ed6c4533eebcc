import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage, ConversationEntry } from '../../preload/contract.js';
import { bodyParts } from './links.js';
import { dayKey, dayWords, fullTimeWords, messageLabel, stateGlyph, stateWords, timeWords } from './message-words.js';

/** Consecutive messages of one side within this time are drawn as one group (less space, one tail). */
const GROUP_MS = 5 * 60_000;

export interface EntryActions {
  /** The contact's name as shown (the roster's, else the address). */
  theirName: string;
  /** The message to highlight (a search hit), or null. */
  highlight: string | null;
  openLink(url: string, event: Event): void;
  retry(id: string): void;
}

type Message = ChatMessage & { kind: 'message' };

/** The body as text and links: Lit text bindings only, so markup in a body is shown as the characters it is. */
function body(message: Message, actions: EntryActions): TemplateResult {
  const content = bodyParts(message.body).map((part) =>
    part.kind === 'text'
      ? part.text
      : html`<a
          href=${part.url}
          draggable="false"
          @click=${(event: Event) => actions.openLink(part.url, event)}
          @auxclick=${(event: Event) => actions.openLink(part.url, event)}
          >${part.text}</a
        >`,
  );
  // No space around the content: the body keeps its own white space (pre-wrap).
  return html`<p class="body" dir="auto">${content}</p>`;
}

function meta(message: Message): TemplateResult {
  const ours = message.direction === 'out';
  const glyph = ours ? stateGlyph(message.state) : '';
  const waiting = message.state === 'queued' || message.state === 'sending';
  return html`<p class="meta" aria-hidden="true">
    ${ours && message.fromOtherDevice ? html`<span class="device">other device ·</span>` : nothing}
    ${waiting ? html`<span class="state-words">${stateWords(message.state)}</span>` : nothing}
    <time datetime=${new Date(message.time).toISOString()} title=${fullTimeWords(message.time)}
      >${timeWords(message.time)}</time
    >
    ${
      glyph && message.state !== 'failed'
        ? html`<span class="state ${message.state}" title=${stateWords(message.state)}>${glyph}</span>`
        : nothing
    }
  </p>`;
}

function failure(message: Message, actions: EntryActions): TemplateResult {
  return html`<div class="failure">
    <p>Not sent: ${message.error?.message ?? 'the server refused it.'}</p>
    <button class="retry" @click=${() => actions.retry(message.id)} aria-label="Retry sending this message">
      Retry
    </button>
  </div>`;
}

function messageEntry(
  message: Message,
  previous: ConversationEntry | undefined,
  actions: EntryActions,
): TemplateResult {
  const follows =
    previous?.kind === 'message' &&
    previous.direction === message.direction &&
    message.time - previous.time < GROUP_MS &&
    dayKey(previous.time) === dayKey(message.time);
  const classes = [
    'entry',
    'message',
    message.direction,
    follows ? 'follows' : '',
    message.state === 'failed' ? 'failed' : '',
    actions.highlight === message.id ? 'highlight' : '',
  ].join(' ');
  return html`<div class=${classes} data-id=${message.id} tabindex="-1">
    <div class="bubble">
      <span class="visually-hidden">${messageLabel(message, actions.theirName)}:</span>
      ${body(message, actions)} ${meta(message)}
    </div>
    ${message.state === 'failed' ? failure(message, actions) : nothing}
  </div>`;
}

/** One drawn entry, with the day's separator before it when the day changes (or it is the first drawn). */
export function entryTemplate(
  entry: ConversationEntry,
  previous: ConversationEntry | undefined,
  actions: EntryActions,
): TemplateResult {
  const day =
    !previous || dayKey(previous.time) !== dayKey(entry.time)
      ? html`<div class="day" role="separator" aria-label=${dayWords(entry.time)}>
          <span aria-hidden="true">${dayWords(entry.time)}</span>
        </div>`
      : nothing;
  if (entry.kind === 'gap')
    return html`${day}
      <div class="entry gap" data-id=${entry.id} tabindex="-1">
        <p role="note">Earlier messages may be missing</p>
      </div>`;
  return html`${day}${messageEntry(entry, previous, actions)}`;
}
