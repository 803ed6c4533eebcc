import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * What the list's rows tell the layout about their geometry (RowList): a row
 * is a group header or a contact (or a contact's placeholder), and every
 * row of a kind has the same height, so the position of any row follows
 * from the counts before it.
 */
export interface RowGeometry {
  readonly length: number;
  /** True for a group header, false for a contact row or placeholder. */
  isHeader(index: number): boolean;
  /** Headers before `index` (the rest before it are contact rows). */
  headersBefore(index: number): number;
  /** The row at `offset` px from the top for header and contact heights `header`, `contact`. */
  indexAt(offset: number, header: number, contact: number): number;
}

/** The items array the virtualiser is given, carrying its rows' geometry (so the two never disagree). */
export type ItemsWithGeometry = unknown[] & { geometry?: RowGeometry };

interface Internals {
  readonly items: ItemsWithGeometry;
  _scrollSize: number;
  _viewDim1: number;
  _first: number;
  _last: number;
  _physicalMin: number;
  _physicalMax: number;
  _metricsCache: { getMarginSize(index: number): number | undefined };
}

interface Sizes {
  header: number;
  contact: number;
}

/** Heights the stylesheet gives the rows (xm-contact-list.styles.ts), until measured ones replace them. */
const DEFAULT_SIZES: Sizes = { header: 48, contact: 56 };

/**
 * The flow layout with exact positions instead of estimates. The stock
 * flow layout places rows it has not measured at the average row height:
 * on a fling (700 px a frame, past every row drawn) each frame re-anchors on
 * an estimate, measures, finds it wrong, moves every row and corrects the
 * scroll position: two style and layout passes over every drawn row per
 * frame. Here a row's position is computed from the header and contact
 * counts before it and the two heights (learned from the rows measured:
 * the smallest seen per kind, since a contact with a pending edit's note is
 * taller), so an unmeasured row is placed where it will stay.
 */
export class RowsLayout extends FlowLayout {
  // Made when first needed: the stock constructor already reflows, before fields of a subclass are set.
  private sizesValue: Sizes | undefined;
  private learnedValue: { header: boolean; contact: boolean } | undefined;

  get sizes(): Sizes {
    return (this.sizesValue ??= { ...DEFAULT_SIZES });
  }

  private get learned(): { header: boolean; contact: boolean } {
    return (this.learnedValue ??= { header: false, contact: false });
  }

  private get geometry(): RowGeometry | undefined {
    return (this as unknown as Internals).items.geometry;
  }

  override updateItemSizes(sizes: Parameters<FlowLayout['updateItemSizes']>[0]): void {
    const geometry = this.geometry;
    if (geometry) {
      for (const [key, metrics] of Object.entries(sizes)) {
        const index = Number(key);
        const height = (metrics as { height?: number }).height;
        if (height === undefined || !(height > 0) || index >= geometry.length) continue;
        const kind = geometry.isHeader(index) ? 'header' : 'contact';
        if (!this.learned[kind] || height < this.sizes[kind]) this.sizes[kind] = height;
        this.learned[kind] = true;
      }
    }
    super.updateItemSizes(sizes);
  }

  /** The exact top of row `index`. */
  top(geometry: RowGeometry, index: number): number {
    const headers = geometry.headersBefore(index);
    return headers * this.sizes.header + (index - headers) * this.sizes.contact;
  }
}

type Method = (this: Internals & RowsLayout, ...args: never[]) => unknown;

/** The stock methods this layout replaces, each falling back to the stock one without geometry. */
function patch(name: string, replacement: (original: Method) => Method): void {
  const proto = RowsLayout.prototype as unknown as Record<string, Method>;
  const original = (FlowLayout.prototype as unknown as Record<string, Method | undefined>)[name];
  if (typeof original !== 'function') return; // another version of the package: the stock behaviour stays
  proto[name] = replacement(original);
}

const geometryOf = (layout: Internals): RowGeometry | undefined => layout.items.geometry;
const sizesOf = (layout: RowsLayout): Sizes => layout.sizes;
const topOf = (layout: RowsLayout, geometry: RowGeometry, index: number): number => layout.top(geometry, index);

// An unmeasured row's size: its kind's height, not the average (an undefined size makes the reflow unstable).
patch(
  '_getSize',
  (original) =>
    function getSize(this: Internals & RowsLayout, index: number) {
      const measured = (original as (this: unknown, i: number) => number | undefined).call(this, index);
      if (measured !== undefined) return measured;
      const geometry = geometryOf(this);
      if (!geometry || index < 0 || index >= geometry.length) return undefined;
      const sizes = sizesOf(this);
      return geometry.isHeader(index) ? sizes.header : sizes.contact;
    },
);

patch(
  '_estimatePosition',
  (original) =>
    function estimatePosition(this: Internals & RowsLayout, index: number) {
      const geometry = geometryOf(this);
      if (!geometry) return (original as (this: unknown, i: number) => number).call(this, index);
      return topOf(this, geometry, Math.max(0, Math.min(index, geometry.length)));
    },
);

patch(
  '_calculateAnchor',
  (original) =>
    function calculateAnchor(this: Internals & RowsLayout, lower: number, upper: number) {
      const geometry = geometryOf(this);
      if (!geometry) return (original as (this: unknown, l: number, u: number) => number).call(this, lower, upper);
      const last = this.items.length - 1;
      if (lower <= 0) return 0;
      if (upper > this._scrollSize - this._viewDim1) return last;
      const sizes = sizesOf(this);
      return Math.max(0, Math.min(last, geometry.indexAt((lower + upper) / 2, sizes.header, sizes.contact)));
    },
);

patch(
  '_updateScrollSize',
  (original) =>
    function updateScrollSize(this: Internals & RowsLayout) {
      const geometry = geometryOf(this);
      if (!geometry) {
        (original as (this: unknown) => void).call(this);
        return;
      }
      // Never shorter than the rows drawn (a taller row with a pending edit's note adds to them).
      const exact = topOf(this, geometry, geometry.length);
      this._scrollSize = Math.max(1, exact, this._last === this.items.length - 1 ? this._physicalMax : 0);
    },
);

// With exact positions there is no estimate to correct, but at the ends (a taller row drawn near them).
patch(
  '_calculateError',
  (original) =>
    function calculateError(this: Internals & RowsLayout) {
      if (!geometryOf(this)) return (original as (this: unknown) => number).call(this);
      if (this._first === 0) return this._physicalMin;
      if (this._last === this.items.length - 1 && this._physicalMax > this._scrollSize)
        return this._physicalMax - this._scrollSize;
      return 0;
    },
);

// Rows have no margins: an unmeasured one's margin is 0, not unknown (which makes the reflow unstable too).
patch(
  '_getItems',
  (original) =>
    function getItems(this: Internals & RowsLayout) {
      const cache = this._metricsCache;
      if (geometryOf(this) && !(cache as { patched?: boolean }).patched) {
        const getMarginSize = cache.getMarginSize.bind(cache);
        cache.getMarginSize = (index) => getMarginSize(index) ?? 0;
        (cache as { patched?: boolean }).patched = true;
      }
      (original as (this: unknown) => void).call(this);
    },
);

// Rows have no margins (xm-contact-list.styles.ts): a row is measured by its box alone. The stock measure also asks
// for each row's computed style (its margins), for every drawn row whenever the rows change (a push, a keystroke).
Object.defineProperty(RowsLayout.prototype, 'measureChildren', {
  configurable: true,
  get() {
    return (element: { getBoundingClientRect(): { width: number; height: number } }) => {
      const { width, height } = element.getBoundingClientRect();
      return { width, height, marginTop: 0, marginRight: 0, marginBottom: 0, marginLeft: 0 };
    };
  },
});

/** The list's layout: pass as virtualize({ layout: ROWS_LAYOUT }). */
export const ROWS_LAYOUT = { type: RowsLayout };
