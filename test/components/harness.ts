// Browser side of the component tests: bundled with the renderer, it mounts
// <xm-app> with a FAKE MessengerApi built from the data a test passes in,
// records every call, lets the test push events, and notes the app's own
// events and any CSP violation, so tests wait on those instead of sleeping.
import type {
  AppState,
  BatchResult,
  ChatMessage,
  BlocklistSnapshot,
  ConnectionReport,
  DeniedRequest,
  DesktopCapabilities,
  DesktopSettings,
  MessengerApi,
  MessengerEvent,
  Result,
  RosterChange,
  RosterChunk,
  RosterItem,
  RosterPage,
  RosterSnapshot,
} from '../../preload/contract.js';
import { FirstPageBuilder } from '../../main/core/roster/first-page.js';
import { createFakeMessages, type FakeMessagesSetup } from './fake-messages.js';
import '../../renderer/components/xm-app.js';

export type Method = Exclude<keyof MessengerApi, 'onEvent'>;

export interface HarnessSetup {
  state: AppState;
  roster?: RosterSnapshot;
  /** What listDeniedRequests answers (default: none). */
  denied?: DeniedRequest[];
  /** What getConnectionReport answers (default: no sign-in recorded). */
  report?: ConnectionReport;
  /** The blocklist getBlocklist starts from (default: blocking not supported, nothing blocked). */
  blocklist?: BlocklistSnapshot;
  /** The conversations the message calls answer from (issue 10). */
  messages?: Omit<FakeMessagesSetup, 'own'>;
  /** Answers queued before the app starts (for the calls it makes at once). */
  responses?: Partial<Record<Method, Result<unknown>[]>>;
  /**
   * What getDesktopSettings answers, every time (several parts of the page ask: the theme, the request
   * notifier, Settings): the settings over the defaults, and the desktop's capabilities (default: a tray).
   */
  desktop?: { settings?: Partial<DesktopSettings>; capabilities?: DesktopCapabilities };
}

export interface Harness {
  mount(setup: HarnessSetup): void;
  /** Every API call, in order, with its arguments. */
  calls: { method: Method; args: unknown[] }[];
  callCount(method: Method): number;
  /** Queues the answer of the next call of `method` (otherwise a plausible success). */
  respondNext(method: Method, result: Result<unknown>): void;
  /** Makes calls of `method` wait until release(method). */
  hold(method: Method): void;
  release(method: Method): void;
  emit(event: MessengerEvent): void;
  /** Replaces what the fake's roster calls answer from now on (then emit a 'reset', as main does). */
  setRoster(snapshot: RosterSnapshot): void;
  /** A push as main makes it: applied to the fake's roster (later chunks hold it), then emitted. */
  push(change: Extract<RosterChange, { kind: 'upsert' | 'remove' }>): void;
  /** A message as main reports it (received live: counted unread unless `read`; or a state change of ours). */
  receive(message: ChatMessage, options?: { read?: boolean }): void;
  /** The next tie-break number, for messages a test makes up after mounting. */
  nextSeq(): number;
  listenerCount(): number;
  /** Names of the xm-* events seen at the document, in order. */
  events: string[];
  cspViolations: string[];
}

declare global {
  interface Window {
    harness: Harness;
  }
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function emptyReport(): ConnectionReport {
  return {
    dns: [],
    attempts: [],
    tls: null,
    sasl: null,
    server: null,
    features: { rosterVersioning: false, streamManagement: false, preApproval: false, blocking: false },
    roster: { lastFullSync: null, spoofedPushes: 0 },
    failure: null,
  };
}

function createFake(setup: HarnessSetup): {
  api: MessengerApi;
  harness: Omit<Harness, 'mount' | 'events' | 'cspViolations'>;
} {
  let state = setup.state;
  let roster: RosterSnapshot = setup.roster ?? { account: state.account?.jid ?? '', version: null, items: [] };
  let resets = 0;
  let sortedFor: RosterSnapshot | null = null;
  let sorted: RosterItem[] = [];
  const calls: Harness['calls'] = [];
  const queued = new Map(Object.entries(setup.responses ?? {}) as [Method, Result<unknown>[]][]);
  const held = new Map<Method, (() => void)[]>();
  const holding = new Set<Method>();
  const listeners = new Set<(event: MessengerEvent) => void>();
  let blocklist: BlocklistSnapshot = setup.blocklist ?? { supported: false, items: [], failures: [] };
  /** Block and unblock as a server that accepts them would: the list changes and its event goes out. */
  const changeBlocklist = (jids: string[], blocked: boolean): Result<unknown> => {
    const others = blocklist.items.filter((item) => !jids.includes(item.jid));
    const items = blocked ? [...others, ...jids.map((jid) => ({ jid }))] : others;
    blocklist = { ...blocklist, items: items.sort((a, b) => (a.jid < b.jid ? -1 : 1)) };
    const event: MessengerEvent = { type: 'blocklist', blocklist: structuredClone(blocklist) };
    queueMicrotask(() => {
      for (const listener of [...listeners]) listener(event);
    });
    return ok({ queued: false });
  };

  const fakeMessages = createFakeMessages({ own: state.account?.jid ?? '', ...setup.messages }, (event) => {
    for (const listener of [...listeners]) listener(structuredClone(event));
  });

  let desktopSettings: DesktopSettings = {
    theme: 'system',
    keepInTray: true,
    startAtLogin: false,
    startMinimised: false,
    spellcheck: false,
    requestNotifications: true,
    ...setup.desktop?.settings,
  };
  const defaults: { [M in Method]: (...args: Parameters<MessengerApi[M]>) => Result<unknown> } = {
    getState: () => ok(state),
    signIn: (request) => {
      state = {
        ...state,
        account: {
          jid: request.jid,
          host: request.host ?? null,
          port: request.port ?? null,
          rememberPassword: request.rememberPassword,
        },
        connection: { status: 'online', jid: request.jid },
      };
      return ok(state);
    },
    signOut: (options) =>
      ok(
        (state = {
          ...state,
          account: options.forgetAccount ? null : state.account,
          connection: { status: 'offline' },
        }),
      ),
    getRoster: () => ok(roster),
    // As main/core/roster/roster-pages.ts answers: the same first-page computation, chunks by address.
    getRosterPage: (request) => {
      const builder = new FirstPageBuilder(request);
      for (const item of roster.items) builder.add(item);
      const page = builder.result();
      return ok<RosterPage>({
        account: roster.account,
        version: roster.version,
        ...page,
        token: `fake-${resets}`,
        complete: page.items.length === page.total,
      });
    },
    getRosterChunk: (request) => {
      if (request.token !== `fake-${resets}`)
        return { ok: false, error: { code: 'invalid-argument', message: 'This load is out of date.' } };
      if (sortedFor !== roster) {
        sortedFor = roster;
        sorted = [...roster.items].sort((a, b) => codePointOrder(a.jid, b.jid));
      }
      const rest = request.after === null ? sorted : sorted.filter((i) => codePointOrder(i.jid, request.after!) > 0);
      const items = rest.slice(0, request.limit);
      return ok<RosterChunk>({
        items,
        next: rest.length > request.limit ? (items.at(-1)?.jid ?? null) : null,
      });
    },
    addContact: (input) =>
      ok<RosterItem>({
        jid: input.jid,
        name: input.name ?? null,
        subscription: 'none',
        ask: null,
        approved: false,
        groups: input.groups ?? [],
      }),
    updateContact: () => ok(null),
    removeContact: () => ok(null),
    cancelEdit: () => ok(null),
    reconnectNow: () => ok(null),
    getPresence: () =>
      ok({ contacts: [], requests: [], own: { show: 'available', status: null }, preApprovalSupported: false }),
    approveRequest: () => ok(null),
    denyRequest: () => ok(null),
    changeSubscription: () => ok(null),
    listDeniedRequests: () => ok(setup.denied ?? []),
    undoDenial: () => ok(null),
    setOwnPresence: () => ok(null),
    getConnectionReport: () => ok(setup.report ?? emptyReport()),
    resyncRoster: () => ok({ count: roster.items.length, syncedAt: Date.UTC(2025, 10, 24, 15, 0) }),
    getBlocklist: () => ok(blocklist),
    block: (jids) => changeBlocklist(jids, true),
    unblock: (jids) => changeBlocklist(jids, false),
    denyAndBlock: (jid) => changeBlocklist([jid], true),
    ...fakeMessages.api,
    // Issue 13: the desktop side, as a machine with a tray would answer (tests replace them with respondNext).
    getDesktopSettings: () =>
      ok({
        settings: desktopSettings,
        capabilities: setup.desktop?.capabilities ?? { hasTray: true, canStartAtLogin: true, osSpellchecker: false },
      }),
    setDesktopSettings: (next) => {
      // As main does: the stored settings go out as an event (the theme follows it).
      desktopSettings = next;
      const event: MessengerEvent = { type: 'desktop-settings', settings: structuredClone(next) };
      queueMicrotask(() => {
        for (const listener of [...listeners]) listener(event);
      });
      return ok(next);
    },
    getAbout: () => ok({ name: 'Balcony', version: '0.1.0', runtime: [], licences: [] }),
    takeXmppLinks: () => ok([]),
    openExternal: () => ok(null),
    openProfileFolder: () => ok(null),
    showWindow: () => ok(null),
    dismissBlockingFailure: (id) => {
      blocklist = { ...blocklist, failures: blocklist.failures.filter((f) => f.id !== id) };
      return ok(null);
    },
    renameGroup: (from) =>
      ok<BatchResult>({ succeeded: roster.items.filter((i) => i.groups.includes(from)).map((i) => i.jid), failed: [] }),
  };

  const call = async (method: Method, args: unknown[]): Promise<Result<unknown>> => {
    calls.push({ method, args: structuredClone(args) });
    if (holding.has(method))
      await new Promise<void>((resolve) => held.set(method, [...(held.get(method) ?? []), resolve]));
    const next = queued.get(method)?.shift();
    return next ?? (defaults[method] as (...a: unknown[]) => Result<unknown>)(...args);
  };

  const api = {
    onEvent(listener: (event: MessengerEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  } as MessengerApi;
  for (const method of Object.keys(defaults) as Method[]) {
    (api as unknown as Record<Method, (...args: unknown[]) => Promise<Result<unknown>>>)[method] = (...args) =>
      call(method, args);
  }

  return {
    api,
    harness: {
      calls,
      callCount: (method) => calls.filter((c) => c.method === method).length,
      respondNext: (method, result) => queued.set(method, [...(queued.get(method) ?? []), result]),
      hold: (method) => holding.add(method),
      release: (method) => {
        holding.delete(method);
        for (const resolve of held.get(method) ?? []) resolve();
        held.delete(method);
      },
      emit: (event) => {
        for (const listener of [...listeners]) listener(structuredClone(event));
      },
      setRoster: (snapshot) => {
        roster = snapshot;
        resets += 1;
      },
      push: (change) => {
        const jid = change.kind === 'upsert' ? change.item.jid : change.jid;
        const items = roster.items.filter((item) => item.jid !== jid);
        if (change.kind === 'upsert') items.push(change.item);
        roster = { ...roster, items, version: change.version };
        for (const listener of [...listeners]) listener(structuredClone({ type: 'roster', change }));
      },
      listenerCount: () => listeners.size,
      receive: fakeMessages.receive,
      nextSeq: fakeMessages.nextSeq,
    },
  };
}

/** The store's (SQLite BINARY, UTF-8) order of addresses. */
function codePointOrder(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const events: string[] = [];
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) =>
  cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
);
for (const name of [
  'xm-app-ready',
  'xm-roster-loaded',
  'xm-roster-complete',
  'xm-signed-in',
  'xm-contact-saved',
  'xm-contact-removed',
  'xm-group-renamed',
  'xm-sign-in-again',
  'xm-signed-out',
  'xm-own-presence-set',
  'xm-request-answered',
  'xm-subscription-changed',
  'xm-roster-resynced',
  'xm-blocked',
  'xm-unblocked',
]) {
  document.addEventListener(name, () => events.push(name));
}

window.harness = {
  events,
  cspViolations,
  mount(setup) {
    const fake = createFake(setup);
    Object.assign(window.harness, fake.harness);
    const app = document.createElement('xm-app');
    app.messenger = fake.api;
    document.body.append(app);
  },
} as Harness;
