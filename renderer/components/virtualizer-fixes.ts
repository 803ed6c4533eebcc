import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * @lit-labs/virtualizer 2.1's Virtualizer._positionChildren looks each child
 * up through the `_children` getter, which walks every child of the host:
 * quadratic in the rows drawn, run on every scroll frame and every update
 * (a quarter of the list's script time while scrolling). The same work with
 * one walk: no child is added or removed while it runs, it only sets styles.
 * Applied to the class of the first instance met (the package does not
 * export it), only if the method still has the shape this was written
 * against.
 */
interface Position {
  top: number;
  left: number;
  width?: number;
  height?: number;
  xOffset?: number;
  yOffset?: number;
}
interface VirtualizerInternals {
  _positionChildren(pos: Map<number, Position> | null | undefined): void;
  readonly _children: HTMLElement[];
  readonly _hostElement: HTMLElement;
  _first: number;
}

const SIZER = 'virtualizer-sizer';

/**
 * The `_children` getter (the rows drawn, in order) walks every child and
 * asks each for the sizer attribute, and runs several times per frame. The
 * list puts its sizer first (xm-contact-list.ts), so the rows are the host's
 * element children after it: one native slice. Any other arrangement takes
 * the stock walk.
 */
function fastChildren(proto: VirtualizerInternals): void {
  const stock = Object.getOwnPropertyDescriptor(proto, '_children')?.get;
  if (!stock || !String(stock).includes('hasAttribute')) return;
  Object.defineProperty(proto, '_children', {
    configurable: true,
    get(this: VirtualizerInternals): HTMLElement[] {
      const host = this._hostElement;
      const last = host.lastElementChild;
      if (
        host.firstElementChild?.hasAttribute(SIZER) &&
        !(last !== host.firstElementChild && last?.hasAttribute(SIZER))
      )
        return Array.prototype.slice.call(host.children, 1) as HTMLElement[];
      return stock.call(this) as HTMLElement[];
    },
  });
}

let done = false;
/** What _positionChildren last wrote on each row element. */
const positions = new WeakMap<HTMLElement, string>();

export function fixVirtualizer(instance: object): void {
  if (done) return;
  done = true;
  const proto = Object.getPrototypeOf(instance) as VirtualizerInternals;
  const original = proto._positionChildren as unknown;
  if (
    typeof original !== 'function' ||
    original.length !== 1 ||
    !String(original).includes('this._children[index - this._first]')
  )
    return;
  fastChildren(proto);
  proto._positionChildren = function positionChildren(this: VirtualizerInternals, pos) {
    if (!pos) return;
    const children = this._children;
    const first = this._first;
    pos.forEach(({ top, left, width, height, xOffset, yOffset }, index) => {
      const child = children[index - first];
      if (!child) return;
      // Only what changed is written: a row left where it was is not restyled (every reflow positions every row).
      const placed = `${left} ${top} ${width} ${height} ${xOffset} ${yOffset}`;
      if (positions.get(child) === placed) return;
      positions.set(child, placed);
      child.style.position = 'absolute';
      child.style.boxSizing = 'border-box';
      child.style.transform = `translate(${left}px, ${top}px)`;
      if (width !== undefined) child.style.width = `${width}px`;
      if (height !== undefined) child.style.height = `${height}px`;
      child.style.left = xOffset === undefined ? '' : `${xOffset}px`;
      child.style.top = yOffset === undefined ? '' : `${yOffset}px`;
    });
  };
}

/**
 * The flow layout keeps item positions (its range, the first visible item,
 * the anchor of an unfinished reflow) from one `items` array to the next.
 * When the array gets shorter than those positions (a search, a fold, a
 * removal while the list is scrolled or the anchor sits low), its next
 * reflow anchors on an item that no longer exists and announces a range past
 * the end: rows of the previous list stay on screen and every later reflow
 * repeats the mistake (issue 11 #13). Before each reflow, positions past the
 * end are forgotten, so the layout finds its range again from the scroll
 * position, as a fresh layout would. Applied only to the shape this was
 * written against.
 */
interface FlowInternals {
  readonly items: readonly unknown[];
  _first: number;
  _last: number;
  _firstVisible: number;
  _lastVisible: number;
  _anchorIdx: number | null;
  _anchorPos: number | null;
  _physicalItems: Map<number, unknown>;
  _newPhysicalItems: Map<number, unknown>;
  _reflow(): void;
}

function forgetPositionsPastTheEnd(): void {
  const proto = FlowLayout.prototype as unknown as FlowInternals;
  const original = proto._reflow as unknown;
  if (typeof original !== 'function' || original.length !== 0 || !String(original).includes('_resetReflowState'))
    return;
  proto._reflow = function reflow(this: FlowInternals) {
    const count = this.items.length;
    if (this._anchorIdx !== null && this._anchorIdx >= count) {
      this._anchorIdx = null;
      this._anchorPos = null;
    }
    if (this._last >= count || this._firstVisible >= count || this._lastVisible >= count) {
      this._first = -1;
      this._last = -1;
      this._physicalItems.clear();
      this._newPhysicalItems.clear();
    }
    (original as () => void).call(this);
  };
}

forgetPositionsPastTheEnd();
