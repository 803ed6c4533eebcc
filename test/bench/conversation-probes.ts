/**
 * What the messages benchmark runs inside the page (source text, as
 * ./renderer-probes.ts): opening a conversation, scrolling back through it,
 * a message delivered live, an unread count changing in the list.
 *
 * Same frame method as the roster's probes: an interaction starts inside an
 * animation frame callback; a frame's end is a MessageChannel message posted
 * from a requestAnimationFrame callback (it runs once that frame's
 * main-thread work, paint included, is done).
 *
 * The conversation view is found without knowing its inside: the
 * <xm-conversation> element anywhere in the shadow trees, a message by its
 * unique body text in its shadow-inclusive subtree, its scroller as the
 * scrollable element there with the most to scroll. A message counts as
 * painted when that text's element is laid out inside the scroller's box.
 */

const HELPERS = `
  const bench = (window.__bench ??= { ipc: [], marks: {} });
  const afterThisFrame = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  });
  const nextFrameEnd = () => new Promise((resolve) => requestAnimationFrame(() => afterThisFrame().then(resolve)));
  // Every element under root, shadow roots included.
  const walk = function* (root) {
    const stack = root.shadowRoot ? [root, root.shadowRoot] : [root];
    while (stack.length > 0) {
      const node = stack.pop();
      for (const el of node.children ?? []) {
        yield el;
        if (el.shadowRoot) stack.push(el.shadowRoot);
        stack.push(el);
      }
    }
  };
  const deepFind = (root, test) => { for (const el of walk(root)) if (test(el)) return el; return null; };
  const conversation = () => deepFind(document, (el) => el.localName === 'xm-conversation');
  const screen = () => document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen') ?? null;
  const list = () => deepFind(document, (el) => el.localName === 'xm-contact-list');
  const scrollerOf = (root) => {
    let best = null;
    for (const el of walk(root)) {
      const extra = el.scrollHeight - el.clientHeight;
      if (extra <= 1 || el.clientHeight === 0) continue;
      const oy = getComputedStyle(el).overflowY;
      if (oy !== 'auto' && oy !== 'scroll') continue;
      if (!best || extra > best.scrollHeight - best.clientHeight) best = el;
    }
    return best;
  };
  // The element holding this exact text (a message body), in root's shadow-inclusive subtree.
  const textElement = (root, text) => {
    const roots = [root.shadowRoot ?? root];
    for (const el of walk(root)) if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const r of roots) {
      const tw = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let n = tw.nextNode(); n; n = tw.nextNode()) if (n.data.includes(text)) return n.parentElement;
    }
    return null;
  };
  const inside = (el, box) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > box.top && r.top < box.bottom && getComputedStyle(el).visibility !== 'hidden';
  };
  const shown = (text) => {
    const c = conversation();
    if (!c) return false;
    const el = textElement(c, text);
    if (!el) return false;
    const scroller = scrollerOf(c);
    const box = (scroller ?? c).getBoundingClientRect();
    return inside(el, box);
  };
  const openConversation = (jid) => {
    const from = list() ?? screen() ?? document.querySelector('xm-app');
    from.dispatchEvent(new CustomEvent('xm-open-conversation', { detail: { jid }, bubbles: true, composed: true }));
  };
`;

export interface OpenSample {
  jid: string;
  /** open event dispatched -> end of the first frame with the newest message visible */
  ms: number;
  frames: number;
  ok: boolean;
}

/** Opens each conversation in turn (dispatch at a frame's start) and waits for its newest body painted. */
export const OPEN_PROBE = `async ({ opens, settleFrames, maxFrames }) => {
  ${HELPERS}
  const samples = [];
  for (const open of opens) {
    for (let i = 0; i < settleFrames; i++) await nextFrameEnd();
    samples.push(await new Promise((resolve) => requestAnimationFrame(() => {
      const t0 = performance.now();
      openConversation(open.jid);
      afterThisFrame().then(async (t1) => {
        let frames = 1;
        while (!shown(open.newest) && frames < maxFrames) {
          t1 = await nextFrameEnd();
          frames += 1;
        }
        resolve({ jid: open.jid, ms: t1 - t0, frames, ok: shown(open.newest) });
      });
    })));
  }
  return samples;
}`;

export interface ConversationScrollResult {
  frameWork: number[];
  rafDeltas: number[];
  longFrames: number[];
  frames: number;
  /** px moved up in all (scrollTop decreases as older messages load above, the probe adds to it) */
  scrolledPx: number;
  /** frames where the scroller could not move up any more (waiting for older messages) */
  stuckFrames: number;
  ok: boolean;
  reason: string;
}

/**
 * Scrolls the open conversation's scroller up by `step` px at the start of
 * every frame, for `frames` frames: older pages load as it goes (their
 * getHistory calls are counted in node). Frame work as in the roster's
 * scroll probe: the frame's scroll event (capturing, on the conversation's
 * shadow root) or animation frame callback, whichever is first, to its end.
 */
export const CONVERSATION_SCROLL_PROBE = `async ({ frames, step }) => {
  ${HELPERS}
  const c = conversation();
  if (!c) return { frameWork: [], rafDeltas: [], longFrames: [], frames: 0, scrolledPx: 0, stuckFrames: 0, ok: false, reason: 'no xm-conversation' };
  const scroller = scrollerOf(c);
  if (!scroller) return { frameWork: [], rafDeltas: [], longFrames: [], frames: 0, scrolledPx: 0, stuckFrames: 0, ok: false, reason: 'no scroller in xm-conversation' };
  for (let i = 0; i < 5; i++) await nextFrameEnd();
  let frameStart = NaN;
  const onScroll = () => { if (Number.isNaN(frameStart)) frameStart = performance.now(); };
  const root = c.shadowRoot ?? c;
  root.addEventListener('scroll', onScroll, { capture: true });
  const longFrames = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) longFrames.push(e.duration); });
    observer.observe({ type: 'long-animation-frame' });
  } catch {}
  const rafDeltas = [];
  const frameWork = [];
  let scrolledPx = 0;
  let stuckFrames = 0;
  await new Promise((resolve) => {
    let count = 0;
    let last = NaN;
    const tick = (ts) => {
      const tRaf = performance.now();
      if (!Number.isNaN(last)) rafDeltas.push(ts - last);
      last = ts;
      const start = Number.isNaN(frameStart) ? tRaf : Math.min(frameStart, tRaf);
      frameStart = NaN;
      const measured = count > 0;
      afterThisFrame().then((end) => { if (measured) frameWork.push(end - start); });
      count += 1;
      if (count <= frames) {
        const before = scroller.scrollTop;
        scroller.scrollTop = Math.max(0, before - step);
        const moved = before - scroller.scrollTop;
        scrolledPx += moved;
        if (moved < 1) stuckFrames += 1;
        requestAnimationFrame(tick);
      } else {
        setTimeout(resolve, 100);
      }
    };
    requestAnimationFrame(tick);
  });
  root.removeEventListener('scroll', onScroll, { capture: true });
  observer?.disconnect();
  return { frameWork, rafDeltas, longFrames, frames, scrolledPx, stuckFrames, ok: true, reason: '' };
}`;

/** Scrolls the open conversation to its newest end and waits a few frames. */
export const SCROLL_TO_END_PROBE = `async () => {
  ${HELPERS}
  const c = conversation();
  const scroller = c && scrollerOf(c);
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
  for (let i = 0; i < 10; i++) await nextFrameEnd();
  return scroller !== null;
}`;

export interface LiveStep {
  /** The 'message' and 'conversation' events, as JSON text (parsed before the timed part), delivered together. */
  events: string[];
  body: string;
}
export interface LiveSample {
  /** delivery -> end of the first frame showing the body inside the conversation's scroller */
  ms: number;
  syncMs: number;
  frames: number;
  ok: boolean;
}

/** Delivers each 'message' event as the bridge does, at a frame's start, and waits for its body painted. */
export const LIVE_PROBE = `async ({ steps, settleFrames, maxFrames }) => {
  ${HELPERS}
  const samples = [];
  for (const step of steps) {
    const events = step.events.map((e) => JSON.parse(e));
    for (let i = 0; i < settleFrames; i++) await nextFrameEnd();
    samples.push(await new Promise((resolve) => requestAnimationFrame(() => {
      const t0 = performance.now();
      for (const e of events) window.__bridgeDeliver(e);
      const syncEnd = performance.now();
      afterThisFrame().then(async (t1) => {
        let frames = 1;
        while (!shown(step.body) && frames < maxFrames) {
          t1 = await nextFrameEnd();
          frames += 1;
        }
        resolve({ ms: t1 - t0, syncMs: syncEnd - t0, frames, ok: shown(step.body) });
      });
    })));
  }
  return samples;
}`;

export interface UnreadStep {
  /** The 'message' and 'conversation' events, as JSON text, delivered one after the other. */
  events: string[];
  jid: string;
  unread: number;
}
export interface UnreadSample {
  /** delivery -> end of the first frame where the contact's row shows the new count */
  ms: number;
  frames: number;
  ok: boolean;
  /** list rows (.row elements, by data-jid or position) whose DOM changed, the contact's own row included */
  rowsChanged: number;
  /** of them, rows other than the contact's */
  otherRowsChanged: number;
  /** rows in the list's DOM at the time */
  rowsInDom: number;
}

/**
 * Delivers a message for a conversation that is not open and its summary
 * (unread + 1), at a frame's start; waits for the contact's row to show the
 * count, and records which rows of the list changed (MutationObserver on the
 * list's shadow root: childList, characterData, attributes, subtree).
 */
export const UNREAD_PROBE = `async ({ steps, settleFrames, maxFrames }) => {
  ${HELPERS}
  const l = list();
  if (!l) return [];
  const root = l.shadowRoot;
  const samples = [];
  for (const step of steps) {
    const events = step.events.map((e) => JSON.parse(e));
    const selector = '.contact-row[data-jid="' + CSS.escape(step.jid) + '"]';
    const counted = () => {
      const row = root.querySelector(selector);
      if (!row) return false;
      const texts = [row.textContent ?? '', row.getAttribute('aria-label') ?? ''];
      for (const el of row.querySelectorAll('*')) texts.push(el.getAttribute('aria-label') ?? '');
      return texts.some((t) => new RegExp('(^|\\\\D)' + step.unread + '(\\\\D|$)').test(t));
    };
    for (let i = 0; i < settleFrames; i++) await nextFrameEnd();
    samples.push(await new Promise((resolve) => requestAnimationFrame(() => {
      const changed = new Set();
      const handle = (records) => {
        for (const r of records) {
          const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          const row = node?.closest?.('.row');
          if (row) changed.add(row);
          else if (r.type === 'childList') for (const n of r.addedNodes) if (n.nodeType === 1 && n.matches('.row')) changed.add(n);
        }
      };
      const mo = new MutationObserver(handle);
      mo.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      const t0 = performance.now();
      for (const e of events) window.__bridgeDeliver(e);
      afterThisFrame().then(async (t1) => {
        let frames = 1;
        while (!counted() && frames < maxFrames) {
          t1 = await nextFrameEnd();
          frames += 1;
        }
        // two more frames: a late re-render of other rows counts too
        await nextFrameEnd();
        await nextFrameEnd();
        handle(mo.takeRecords());
        mo.disconnect();
        const own = root.querySelector(selector);
        const rows = [...changed];
        resolve({
          ms: t1 - t0,
          frames,
          ok: counted(),
          rowsChanged: rows.length,
          otherRowsChanged: rows.filter((r) => r !== own).length,
          rowsInDom: root.querySelectorAll('.row').length,
        });
      });
    })));
  }
  return samples;
}`;

export interface ReplayResult {
  /** longtask entries (tasks over 50 ms) during the replay: their durations */
  longTasks: number[];
  /** long-animation-frame entries (frames over 50 ms) */
  longFrames: number[];
  delivered: number;
  /** first event delivered -> last event's task done */
  spanMs: number;
}

/**
 * Opens a conversation, then delivers `events` (JSON texts) at the times main
 * emitted them (ms from the start), each in its own task (a MessageChannel
 * message: one IPC message is one renderer task), and records the page's long
 * tasks and long animation frames meanwhile.
 */
export const REPLAY_PROBE = `async ({ jid, events }) => {
  ${HELPERS}
  openConversation(jid);
  for (let i = 0; i < 30; i++) await nextFrameEnd();
  const longTasks = [];
  const longFrames = [];
  const observers = [];
  for (const [type, list] of [['longtask', longTasks], ['long-animation-frame', longFrames]]) {
    try {
      const o = new PerformanceObserver((l) => { for (const e of l.getEntries()) list.push(e.duration); });
      o.observe({ type });
      observers.push(o);
    } catch {}
  }
  const ch = new MessageChannel();
  let delivered = 0;
  let lastDone = 0;
  ch.port1.onmessage = (m) => {
    window.__bridgeDeliver(JSON.parse(m.data));
    delivered += 1;
    lastDone = performance.now();
  };
  const t0 = performance.now();
  await new Promise((resolve) => {
    let next = 0;
    const pump = () => {
      const now = performance.now() - t0;
      while (next < events.length && events[next].at <= now) ch.port2.postMessage(events[next++].text);
      if (next < events.length) setTimeout(pump, Math.max(0, Math.min(16, events[next].at - now)));
      else resolve();
    };
    pump();
  });
  while (delivered < events.length) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 10; i++) await nextFrameEnd();
  for (const o of observers) o.disconnect();
  return { longTasks, longFrames, delivered, spanMs: lastDone - t0 };
}`;

export { callProbe } from './renderer-probes.js';
