/**
 * The two page events that tie the contact list to the conversation pane
 * (issue 10). The list, a notification click or a search hit asks for a
 * conversation with OPEN_CONVERSATION; the layout answers with
 * CONVERSATION_SHOWN whenever the conversation on screen changes (null: none
 * is in view, e.g. the narrow layout shows the list), which is what decides
 * whether an arriving message is notified and counted as read.
 */
export const OPEN_CONVERSATION = 'xm-open-conversation';
export const CONVERSATION_SHOWN = 'xm-conversation-shown';

export interface OpenConversationDetail {
  /** The contact's bare JID. */
  jid: string;
  /** Scroll to and highlight this message (a search hit, a notification). */
  messageId?: string;
  /** Text to put in the composer, unsent (an xmpp:?message link, issue 13 #4); it replaces the stored draft. */
  draft?: string;
}

export interface ConversationShownDetail {
  jid: string | null;
}

/** Asks the layout to open a conversation; bubbles and crosses shadow roots from wherever it starts. */
export function requestConversation(from: EventTarget, detail: OpenConversationDetail): void {
  from.dispatchEvent(new CustomEvent(OPEN_CONVERSATION, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    [OPEN_CONVERSATION]: CustomEvent<OpenConversationDetail>;
    [CONVERSATION_SHOWN]: CustomEvent<ConversationShownDetail>;
  }
  interface DocumentEventMap {
    [OPEN_CONVERSATION]: CustomEvent<OpenConversationDetail>;
    [CONVERSATION_SHOWN]: CustomEvent<ConversationShownDetail>;
  }
}
