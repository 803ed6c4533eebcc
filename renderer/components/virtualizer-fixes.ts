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
  _first: number;
}

let done = false;

export function fixVirtualizer(instance: object): void {
  if (done) return;
  done = true;
  const proto = Object.getPrototypeOf(instance) as VirtualizerInternals;
  const original = proto._positionChildren as unknown;
  if (typeof original !== 'function' || original.length !== 1 || !String(original).includes('this._children[index - this._first]')) return;
  proto._positionChildren = function positionChildren(this: VirtualizerInternals, pos) {
    if (!pos) return;
    const children = this._children;
    const first = this._first;
    pos.forEach(({ top, left, width, height, xOffset, yOffset }, index) => {
      const child = children[index - first];
      if (!child) return;
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
