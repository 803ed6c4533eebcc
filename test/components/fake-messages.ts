// The fake API's conversations (issue 10): an in-memory store of messages that
// answers the message calls as main does (pages oldest first, summaries newest
// first, a sent message 'queued' at once) and emits the same events.
import type {
  ChatMessage,
  ConversationEntry,
  ConversationSummary,
  HistoryPage,
  HistoryRequest,
  MessageGap,
  MessageSearchHit,
  MessageSearchRequest,
  MessageSettings,
  MessengerEvent,
  Result,
} from '../../preload/contract.js';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const byOrder = (a: { time: number; seq: number }, b: { time: number; seq: number }) =>
  a.time - b.time || a.seq - b.seq;

export interface FakeMessagesSetup {
  /** The stored messages (any order; `seq` decides ties). */
  messages?: ChatMessage[];
  /** "Earlier messages may be missing" markers, per conversation. */
  gaps?: { jid: string; gap: MessageGap }[];
  /** Unread counts per conversation (default 0). */
  unread?: Record<string, number>;
  /** Conversations whose archive has more before the stored messages (default: none, atStart is true). */
  moreInArchive?: string[];
  settings?: MessageSettings;
  /** Our own bare JID (the `from` of what we send). */
  own: string;
}

export function createFakeMessages(setup: FakeMessagesSetup, emit: (event: MessengerEvent) => void) {
  const messages = new Map((setup.messages ?? []).map((m) => [m.id, structuredClone(m)]));
  const gaps = [...(setup.gaps ?? [])];
  const unread = new Map(Object.entries(setup.unread ?? {}));
  let settings: MessageSettings = setup.settings ?? { sendChatStates: true, notifications: 'full' };
  let nextSeq = Math.max(0, ...[...messages.values()].map((m) => m.seq)) + 1;
  let nextId = 1;

  const entriesOf = (jid: string): ConversationEntry[] =>
    [
      ...[...messages.values()].filter((m) => m.conversation === jid).map((m) => ({ kind: 'message' as const, ...m })),
      ...gaps.filter((g) => g.jid === jid).map((g) => g.gap),
    ].sort(byOrder);

  const summary = (jid: string): ConversationSummary => {
    const last = [...messages.values()]
      .filter((m) => m.conversation === jid)
      .sort(byOrder)
      .at(-1);
    return {
      jid,
      unread: unread.get(jid) ?? 0,
      last: last
        ? { id: last.id, body: last.body, time: last.time, direction: last.direction, state: last.state }
        : null,
    };
  };
  const jids = () => [...new Set([...messages.values()].map((m) => m.conversation))];

  /** Adds or changes a message as main would, then emits its events. */
  const put = (message: ChatMessage, countUnread: boolean) => {
    messages.set(message.id, message);
    if (countUnread) unread.set(message.conversation, (unread.get(message.conversation) ?? 0) + 1);
    emit({ type: 'message', message: structuredClone(message) });
    emit({ type: 'conversation', conversation: summary(message.conversation) });
  };

  return {
    api: {
      getConversations: () =>
        ok(
          jids()
            .map(summary)
            .sort((a, b) => (b.last?.time ?? 0) - (a.last?.time ?? 0)),
        ),
      getHistory: (request: HistoryRequest): Result<HistoryPage> => {
        const all = entriesOf(request.jid);
        const end = request.before ? all.findIndex((e) => e.id === request.before) : all.length;
        const stop = end < 0 ? all.length : end;
        const start = Math.max(0, stop - request.limit);
        const atStart = start === 0 && !(setup.moreInArchive ?? []).includes(request.jid);
        return ok({ jid: request.jid, entries: all.slice(start, stop), atStart });
      },
      sendMessage: (request: { to: string; body: string }): Result<ChatMessage> => {
        const message: ChatMessage = {
          id: `fake-${nextId++}`,
          conversation: request.to,
          direction: 'out',
          from: setup.own,
          to: request.to,
          body: request.body,
          // As the store's arrival time: never before the conversation's newest entry (the test data
          // puts "this morning" at fixed hours, which are still ahead when a test runs just after midnight).
          time: Math.max(Date.now(), ...entriesOf(request.to).map((e) => e.time)),
          seq: nextSeq++,
          state: 'queued',
        };
        put(message, false);
        return ok(structuredClone(message));
      },
      retryMessage: (id: string): Result<ChatMessage> => {
        const message = messages.get(id);
        if (!message) return { ok: false, error: { code: 'item-not-found', message: 'No such message.' } };
        put({ ...message, state: 'queued', error: null }, false);
        return ok(structuredClone(messages.get(id)!));
      },
      markRead: (request: { jid: string; upTo: string }): Result<null> => {
        unread.set(request.jid, 0);
        emit({ type: 'conversation', conversation: summary(request.jid) });
        return ok(null);
      },
      setChatState: (): Result<null> => ok(null),
      searchMessages: (request: MessageSearchRequest): Result<MessageSearchHit[]> => {
        const needle = request.query.toLowerCase();
        const hits = [...messages.values()]
          .filter((m) => (!request.jid || m.conversation === request.jid) && m.body.toLowerCase().includes(needle))
          .sort((a, b) => byOrder(b, a))
          .slice(0, request.limit);
        return ok(
          hits.map((message) => {
            const at = message.body.toLowerCase().indexOf(needle);
            const end = at + needle.length;
            const snippet = `${message.body.slice(0, at)}\uE000${message.body.slice(at, end)}\uE001${message.body.slice(end)}`;
            return { message: structuredClone(message), snippet };
          }),
        );
      },
      getMessageSettings: () => ok(settings),
      setMessageSettings: (next: MessageSettings) => {
        settings = next;
        return ok(settings);
      },
    },
    /** A message as main reports it: arriving live (counted unread unless `read`), or a state change of ours. */
    receive: (message: ChatMessage, options: { read?: boolean } = {}) => {
      put(structuredClone(message), message.direction === 'in' && !options.read);
    },
    nextSeq: () => nextSeq++,
  };
}
