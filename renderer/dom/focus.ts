/** The focused element, looking inside shadow roots (document.activeElement stops at the first host). */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Remembers where focus was so a dialog can give it back when it closes.
 * If that element is gone by then (its contact was removed), focus goes to
 * the nearest shadow host that is still there: xm-contact-list forwards it
 * to its current row.
 */
export function rememberFocus(): () => void {
  const chain: HTMLElement[] = [];
  let node: Node | null = deepActiveElement();
  while (node instanceof HTMLElement) {
    chain.push(node);
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return () => chain.find((el) => el.isConnected)?.focus();
}
