/**
 * SASL authentication (RFC 6120 6) with the checks @xmpp/sasl lacks:
 * - nothing is sent over a cleartext stream unless the policy allows it
 *   (loopback only, explicit opt-in), so a stripped STARTTLS cannot leak the
 *   password;
 * - SCRAM-SHA-512, -256 and -1, with -PLUS (channel binding) where offered
 *   (sasl-policy.ts chooses, channel-binding.ts binds, scram.ts computes);
 * - the server-first message is checked before our proof goes out (RFC
 *   5802 5.1: its nonce must extend ours, a mandatory extension m= fails;
 *   XEP-0474's hash of the advertised lists must match what we saw), and
 *   the server signature in <success/> is verified for every variant, so a
 *   server that does not know the password is not believed (RFC 5802 3);
 * - PLAIN proves nothing about the server, so it is used only inside TLS,
 *   where the certificate did, and only when no SCRAM is offered at all;
 * - a server that offers less than it did before (a weaker SCRAM, no more
 *   channel binding) is refused before anything is sent (auth-downgrade),
 *   unless the user accepted the change.
 * What was proven is recorded for the negotiation gate, which lets nothing
 * but negotiation through until it has been.
 */
import { xml } from '@xmpp/client';
import { procedure } from '@xmpp/events';
import type { Element } from '@xmpp/xml';
import { BalconyError } from '../errors.js';
import { bindingData, tlsSocketOf } from './channel-binding.js';
import { isConfidential, recordAuthentication } from './negotiation-gate.js';
import {
  checkDowngradeProtection,
  downgrade,
  planSasl,
  remembered,
  type SaslMemory,
  type SaslPlan,
} from './sasl-policy.js';
import { clientFinal, clientFirstBare, clientNonce, gs2Header, parseServerFirst, verifyServerFinal } from './scram.js';
import type { StreamFeatures, XmppEntity } from './xmpp-entity.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_SASL_CB = 'urn:xmpp:sasl-cb:0';
const NS_STREAM = 'http://etherx.jabber.org/streams';

export interface SaslCredentials {
  username: string;
  password: string;
}

/** The per-account side of SASL: the downgrade memory, the user's consent, and where the outcome goes. */
export interface SaslOptions {
  memory?: SaslMemory;
  /** The user accepted, for this sign-in, that the server offers less than before. */
  acceptDowngrade?: () => boolean;
  /** Called once the server proved itself: the mechanism and the channel binding used (or null). */
  authenticated?: (mechanism: string, channelBinding: string | null) => void;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

function failure(element: Element): BalconyError {
  const condition = element.getChildElements()[0]?.name ?? 'not-authorized';
  const text = element.getChildText('text');
  return new BalconyError(
    'auth-failed',
    `The server did not accept the address or password (${condition}${text ? `: ${text}` : ''}).`,
  );
}

interface Advertised {
  mechanisms: string[];
  /** XEP-0440's channel-binding types, null when the features carry none. */
  bindingTypes: string[] | null;
}

async function authenticateScram(
  entity: XmppEntity,
  credentials: SaslCredentials,
  plan: Extract<SaslPlan, { kind: 'scram' }>,
  advertised: Advertised,
): Promise<void> {
  const socket = tlsSocketOf(entity);
  const cbData = plan.binding && socket ? bindingData(socket, plan.binding) : null;
  if (plan.binding && !cbData)
    throw new BalconyError('tls-failed', 'The channel binding for this connection could not be computed.');
  const header = gs2Header(plan.gs2);
  const nonce = clientNonce();
  const firstBare = clientFirstBare(credentials.username, nonce);
  let expected: string | undefined;
  let serverFinal: string | undefined;
  await procedure(
    entity,
    xml('auth', { xmlns: NS_SASL, mechanism: plan.mechanism }, b64(header + firstBare)),
    async (element: Element, done: (value: unknown) => void) => {
      if (element.getNS() !== NS_SASL) return;
      if (element.name === 'challenge') {
        const challenge = unb64(element.text());
        if (expected !== undefined) {
          serverFinal = challenge; // some servers send server-final as a last challenge
          await entity.send(xml('response', { xmlns: NS_SASL }));
          return;
        }
        const serverFirst = parseServerFirst(challenge, nonce);
        checkDowngradeProtection(serverFirst.extensions, plan.hash, advertised.mechanisms, advertised.bindingTypes);
        const final = await clientFinal({
          hash: plan.hash,
          password: credentials.password,
          clientFirstBare: firstBare,
          serverFirst,
          gs2Header: header,
          bindingData: cbData ?? undefined,
        });
        expected = final.expectedServerSignature;
        await entity.send(xml('response', { xmlns: NS_SASL }, b64(final.message)));
      } else if (element.name === 'failure') {
        throw failure(element);
      } else if (element.name === 'success') {
        const data = element.text();
        if (data) serverFinal = unb64(data);
        done(undefined);
      }
    },
  );
  if (expected === undefined) throw new BalconyError('server-unverified');
  verifyServerFinal(serverFinal, expected);
  recordAuthentication(entity, 'scram-verified');
}

async function authenticatePlain(entity: XmppEntity, { username, password }: SaslCredentials): Promise<void> {
  await procedure(
    entity,
    xml('auth', { xmlns: NS_SASL, mechanism: 'PLAIN' }, b64(`\0${username}\0${password}`)),
    // eslint-disable-next-line @typescript-eslint/require-await -- @types/xmpp__events wants a handler that returns a promise; a throw in it is then a rejection
    async (element: Element, done: (value: unknown) => void) => {
      if (element.getNS() !== NS_SASL) return;
      if (element.name === 'failure') throw failure(element);
      if (element.name === 'success') done(undefined);
    },
  );
  recordAuthentication(entity, 'plain-in-tls');
}

/** XEP-0440: the <sasl-channel-binding/> feature beside <mechanisms/>, read from the features element. */
function advertisedBindingTypes(features: Element | undefined): string[] | null {
  const feature = features?.getChild('sasl-channel-binding', NS_SASL_CB);
  if (!feature) return null;
  return feature
    .getChildren('channel-binding')
    .map((c: Element) => String(c.attrs.type ?? ''))
    .filter((t) => t !== '');
}

export function useSasl(
  streamFeatures: StreamFeatures,
  credentials: SaslCredentials,
  allowPlaintext: boolean,
  options: SaslOptions = {},
): void {
  streamFeatures.use('mechanisms', NS_SASL, async ({ entity }, _next, element) => {
    if (!isConfidential(entity, allowPlaintext)) throw new BalconyError('tls-required');
    const mechanisms = element.getChildren('mechanism', NS_SASL).map((m: Element) => m.text().trim());
    // null on a root element, whatever @types/ltx says
    const parent = (element as { parent?: Element | null }).parent;
    const advertised: Advertised = {
      mechanisms,
      bindingTypes: advertisedBindingTypes(parent?.is('features', NS_STREAM) ? parent : undefined),
    };
    const socket = tlsSocketOf(entity);
    const offered = new Set(mechanisms);
    const plan = planSasl(offered, socket, advertised.bindingTypes);
    if (plan.kind === 'plain' && !entity.isSecure()) {
      // A cleartext loopback stream: PLAIN would send the password and prove nothing about the server.
      throw new BalconyError(
        'server-unverified',
        'The server offers only PLAIN on a cleartext stream, which cannot prove who it is; Balcony did not sign in.',
      );
    }
    const before = options.memory?.load();
    const accepted = options.acceptDowngrade?.() ?? false;
    // A cleartext loopback stream (local test servers) has no channel to
    // bind: lacking one there is no downgrade, and it teaches nothing.
    const change = downgrade(socket ? before : before && { ...before, channelBinding: false }, plan.seen);
    if (change && !accepted) throw new BalconyError('auth-downgrade', change);
    if (plan.kind === 'scram') {
      await authenticateScram(entity, credentials, plan, advertised);
    } else {
      await authenticatePlain(entity, credentials);
    }
    if (socket) options.memory?.save(remembered(before, plan.seen, accepted));
    options.authenticated?.(plan.mechanism, plan.kind === 'scram' ? plan.binding : null);
    await entity.restart();
  });
}
