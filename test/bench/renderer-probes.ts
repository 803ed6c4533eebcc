/**
 * What the renderer benchmark runs inside the page. Source text only (the
 * page gets strings; see renderer-bridge.ts): each probe is an arrow
 * function's source, called with one JSON argument by `callProbe`.
 *
 * Shared method: a frame's end is observed with a MessageChannel message
 * posted from a requestAnimationFrame callback. Chromium runs a frame's
 * main-thread work (animation frame callbacks, the microtasks they queue —
 * Lit's updates —, style, layout, ResizeObserver callbacks, paint, commit)
 * as one task, so the message runs right after that frame was painted on the
 * main thread (raster and display follow off the main thread and are not
 * counted). Interactions are started inside an animation frame callback, so
 * what is measured is the renderer's own work up to the painted frame, not
 * the wait for the next vsync (at most one frame interval more for a person).
 */

/** The page's bits reached through the shadow roots, and frame helpers; prefixed to every probe. */
const HELPERS = `
  const bench = (window.__bench ??= { ipc: [], marks: {} });
  const screen = () => document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen') ?? null;
  const list = () => screen()?.shadowRoot?.querySelector('xm-contact-list') ?? null;
  const afterThisFrame = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  });
  const nextFrameEnd = () => new Promise((resolve) => requestAnimationFrame(() => afterThisFrame().then(resolve)));
  const fold = (s) => s.normalize('NFD').replace(/\\p{Diacritic}/gu, '').toLowerCase();
`;

/**
 * Init script: from the document's start, looks for the first contact row
 * at the start of every frame; the frame that finds it is the one that
 * paints it, and its end is window.__bench.marks.firstRowPainted (ms since
 * navigation start: performance.now()'s origin).
 */
export const FIRST_PAINT_PROBE = `(() => {
  ${HELPERS}
  const poll = () => {
    const row = list()?.shadowRoot?.querySelector('.contact-row');
    if (!row) {
      requestAnimationFrame(poll);
      return;
    }
    bench.marks.firstRowFrameStart = performance.now();
    afterThisFrame().then((at) => {
      bench.marks.firstRowPainted = at;
      const r = row.getBoundingClientRect();
      bench.marks.firstRowVisible = r.height > 0 && r.bottom > 0 && r.top < innerHeight && getComputedStyle(row).visibility !== 'hidden';
      bench.marks.rowsAtFirstPaint = list().shadowRoot.querySelectorAll('.contact-row').length;
    });
  };
  requestAnimationFrame(poll);
})();`;

/** Collects the first-paint marks with the navigation, paint and IPC entries. */
export const COLLECT_FIRST_PAINT = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/app.js'));
  const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
  return {
    marks: window.__bench.marks,
    ipc: window.__bench.ipc,
    responseEnd: nav ? nav.responseEnd : NaN,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : NaN,
    scriptResponseEnd: script ? script.responseEnd : NaN,
    firstContentfulPaint: fcp ? fcp.startTime : NaN,
  };
})()`;

export interface FilterStep {
  value: string;
  /** Rows (group headers + contact rows) the list must hold for this text; 0: "No matches". */
  expectedRows: number;
  /** Contacts shown per group (NO_GROUP is ''): what the rows' aria-setsize and the headers' counts must say. */
  groups: Record<string, number>;
}
export interface FilterSample {
  value: string;
  /** input event dispatched -> end of the first frame that shows the updated list */
  ms: number;
  /** the input event's listeners alone (synchronous part) */
  handlerMs: number;
  frames: number;
  ok: boolean;
}

/**
 * Types into the real search input, one input event per step, each at the
 * start of a frame; a step is done at the end of the first frame whose rows
 * all carry the set sizes and counts of the list expected for the text
 * (group headers: the number of groups and their count; contacts: their
 * group's count) and all match the text (or that shows "No matches").
 */
export const FILTER_PROBE = `async ({ steps, settleFrames }) => {
  ${HELPERS}
  const root = list().shadowRoot;
  const input = screen().shadowRoot.querySelector('xm-search-field').shadowRoot.querySelector('input');
  const shows = (step) => {
    if (step.expectedRows === 0) return root.querySelector('.contact-row') === null && root.querySelector('.state') !== null;
    const rows = root.querySelectorAll('.row');
    if (rows.length === 0) return false;
    const groupCount = Object.keys(step.groups).length;
    // A tree: a header's set is the groups shown, a contact's its group's members shown (the header's count).
    for (const row of rows) {
      const group = row.dataset.group;
      if (group === undefined || !Object.hasOwn(step.groups, group)) return false;
      const setSize = Number(row.getAttribute('aria-setsize'));
      if (row.classList.contains('group-row')) {
        if (setSize !== groupCount || Number(row.querySelector('.count').textContent) !== step.groups[group]) return false;
      } else if (setSize !== step.groups[group]) return false;
    }
    const q = fold(step.value.trim());
    if (q !== '') {
      for (const row of root.querySelectorAll('.contact-row')) {
        if (!fold(row.querySelector('.name').textContent + '\\n' + row.dataset.jid).includes(q)) return false;
      }
    }
    return true;
  };
  const samples = [];
  for (const step of steps) {
    for (let i = 0; i < settleFrames; i++) await nextFrameEnd();
    samples.push(await new Promise((resolve) => requestAnimationFrame(() => {
      const t0 = performance.now();
      input.value = step.value;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: step.value === '' ? 'deleteContentBackward' : 'insertText', data: step.value.slice(-1) || null }));
      const handled = performance.now();
      afterThisFrame().then(async (t1) => {
        let frames = 1;
        while (!shows(step) && frames < 120) {
          t1 = await nextFrameEnd();
          frames += 1;
        }
        resolve({ value: step.value, ms: t1 - t0, handlerMs: handled - t0, frames, ok: shows(step) });
      });
    })));
  }
  return samples;
}`;

export interface ScrollResult {
  /** requestAnimationFrame timestamp deltas */
  rafDeltas: number[];
  /** per frame: first of (scroll event, animation frame callback) -> end of the frame */
  frameWork: number[];
  /** frames whose end left part of the list's viewport without rows */
  blankFrames: number;
  /** long-animation-frame entries (frames over 50 ms), their durations */
  longFrames: number[];
  rowsScrolled: number;
  frames: number;
}

/**
 * Scrolls the list's scroller by `step` px at the start of every frame for
 * `frames` frames. The scroll event of a scrollTop change is dispatched at the
 * next frame's start (the virtualiser renders the new rows from it), so each
 * frame's work is timed from a capturing scroll listener on the list's shadow
 * root (before the virtualiser's own listener) or the animation frame
 * callback, whichever is first, to the frame's end.
 */
export const SCROLL_PROBE = `async ({ frames, step }) => {
  ${HELPERS}
  const root = list().shadowRoot;
  const scroller = root.querySelector('.list');
  scroller.scrollTop = 0;
  for (let i = 0; i < 5; i++) await nextFrameEnd();
  let frameStart = NaN;
  const onScroll = () => { if (Number.isNaN(frameStart)) frameStart = performance.now(); };
  root.addEventListener('scroll', onScroll, { capture: true });
  const longFrames = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) longFrames.push(e.duration); });
    observer.observe({ type: 'long-animation-frame' });
  } catch {}
  const rafDeltas = [];
  const frameWork = [];
  let blankFrames = 0;
  const startTop = scroller.scrollTop;
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
      afterThisFrame().then((end) => {
        if (measured) frameWork.push(end - start);
        const box = scroller.getBoundingClientRect();
        let top = Infinity;
        let bottom = -Infinity;
        for (const row of root.querySelectorAll('.row')) {
          const r = row.getBoundingClientRect();
          if (r.bottom <= box.top || r.top >= box.bottom) continue;
          top = Math.min(top, r.top);
          bottom = Math.max(bottom, r.bottom);
        }
        if (measured && (top > box.top + 1 || bottom < box.bottom - 1)) blankFrames += 1;
      });
      count += 1;
      if (count <= frames) {
        scroller.scrollTop += step;
        requestAnimationFrame(tick);
      } else {
        setTimeout(resolve, 100);
      }
    };
    requestAnimationFrame(tick);
  });
  root.removeEventListener('scroll', onScroll, { capture: true });
  observer?.disconnect();
  const rowHeight = root.querySelector('.contact-row')?.getBoundingClientRect().height || 1;
  return { rafDeltas, frameWork, blankFrames, longFrames, rowsScrolled: Math.round((scroller.scrollTop - startTop) / rowHeight), frames };
}`;

export interface PushStep {
  /** The MessengerEvent, as JSON text (parsed before the timed part). */
  event: string;
  jid: string;
  label: string;
}
export interface PushSample {
  /** delivery (window.__bridgeDeliver) -> end of the first frame showing the row with its new label */
  ms: number;
  /** the delivery call alone (the listeners, synchronously) */
  syncMs: number;
  /** delivery -> the last DOM change of the list before that frame's end (MutationObserver) */
  domMs: number;
  frames: number;
  ok: boolean;
}

/**
 * With the list at its top, delivers each event the way the bridge does
 * (window.__bridgeDeliver, what the preload's onEvent listeners receive), at
 * the start of a frame; a push is shown at the end of the first frame where
 * the row of its jid carries the new label inside the list's viewport.
 */
export const PUSH_PROBE = `async ({ pushes, settleFrames }) => {
  ${HELPERS}
  const root = list().shadowRoot;
  const scroller = root.querySelector('.list');
  scroller.scrollTop = 0;
  for (let i = 0; i < 5; i++) await nextFrameEnd();
  const samples = [];
  for (const push of pushes) {
    const event = JSON.parse(push.event);
    const selector = '.contact-row[data-jid="' + CSS.escape(push.jid) + '"]';
    const shown = () => {
      const row = root.querySelector(selector);
      if (!row || row.querySelector('.name').textContent !== push.label) return false;
      const r = row.getBoundingClientRect();
      const box = scroller.getBoundingClientRect();
      return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    };
    for (let i = 0; i < settleFrames; i++) await nextFrameEnd();
    samples.push(await new Promise((resolve) => requestAnimationFrame(() => {
      let domAt = NaN;
      const mo = new MutationObserver(() => { domAt = performance.now(); });
      mo.observe(scroller, { subtree: true, childList: true, characterData: true });
      const t0 = performance.now();
      window.__bridgeDeliver(event);
      const syncEnd = performance.now();
      afterThisFrame().then(async (t1) => {
        let frames = 1;
        while (!shown() && frames < 120) {
          t1 = await nextFrameEnd();
          frames += 1;
        }
        mo.disconnect();
        resolve({ ms: t1 - t0, syncMs: syncEnd - t0, domMs: domAt - t0, frames, ok: shown() });
      });
    })));
  }
  return samples;
}`;

/** `(probe)(arg)` as an expression for page.evaluate. */
export function callProbe(probe: string, arg: unknown): string {
  return `(${probe})(${JSON.stringify(arg)})`;
}
