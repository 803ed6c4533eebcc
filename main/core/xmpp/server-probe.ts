/**
 * After each sign-in, asks the server what it is (XEP-0092 software version)
 * and what it offers (XEP-0030 disco#info: blocking, XEP-0191), for the
 * connection report. Purely informative: it runs beside the sign-in, never
 * delays it, and a server that does not answer, answers with an error or
 * answers late is simply reported as unknown.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { parseJid } from '../jid.js';
import type { XmppSession } from './session.js';

const NS_VERSION = 'jabber:iq:version';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_BLOCKING = 'urn:xmpp:blocking';
const DEFAULT_TIMEOUT_MS = 5_000;
const TIMED_OUT = Symbol('timed out');
/** The server's words go into a report and onto a screen: bounded. */
const MAX_TEXT = 200;

export interface ServerProbeOptions {
  /** How long to wait for each answer. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export class ServerProbe {
  readonly #session: XmppSession;
  readonly #domain: string;
  readonly #timeoutMs: number;
  readonly #log: (message: string) => void;
  #probe: Promise<void> = Promise.resolve();

  constructor(session: XmppSession, options: ServerProbeOptions = {}) {
    this.#session = session;
    this.#domain = parseJid(session.account).domain;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#log =
      options.log ??
      (() => {
        // no log asked for
      });
    session.on('online', () => {
      this.#probe = this.#run();
    });
  }

  /** Resolves once the probe of the latest sign-in has its answers or gave up (never rejects). */
  settled(): Promise<void> {
    return this.#probe;
  }

  async #run(): Promise<void> {
    const { recorder } = this.#session;
    await Promise.all([
      this.#ask(xml('query', { xmlns: NS_VERSION }), 'software version').then((result) => {
        const query = result?.getChild('query', NS_VERSION);
        const name = text(query?.getChildText('name'));
        if (name) recorder.server(name, text(query?.getChildText('version')));
      }),
      this.#ask(xml('query', { xmlns: NS_DISCO_INFO }), 'service discovery').then((result) => {
        const query = result?.getChild('query', NS_DISCO_INFO);
        if (!query) return;
        const features = query.getChildren('feature').map((f: Element) => f.attrs.var as unknown);
        recorder.features({ blocking: features.includes(NS_BLOCKING) });
      }),
    ]);
  }

  /** The server's result, or null on an error, no answer in time, or a lost connection. */
  async #ask(payload: Element, what: string): Promise<Element | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.#timeoutMs);
      timer.unref();
    });
    const answer = this.#session.iq('get', payload, this.#domain).catch((error: unknown) => {
      this.#log(`server probe: no ${what} (${(error as Error).message})`);
      return null;
    });
    try {
      const result = await Promise.race([answer, timeout]);
      if (result !== TIMED_OUT) return result;
      this.#log(`server probe: no ${what} answer in time`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

function text(value: string | null | undefined): string {
  return (value ?? '').trim().slice(0, MAX_TEXT);
}
