/**
 * The contact list's display order, in one place for both sides: main
 * computes the first page of the list in it (main/core/roster/first-page.ts)
 * and the renderer sorts the rest in it (renderer/roster/roster-model.ts), so
 * the first rows main sends are exactly the first rows the renderer would
 * have drawn from the whole roster. Pure functions, no imports: it runs in
 * the page and in Node alike.
 *
 * Groups by name, "No group" (NO_GROUP) last; within a group, contacts by
 * label (the name, or the address when no name is set), then by address
 * (both with the collator), then by the address's code units, so that no two
 * contacts tie and the order never depends on arrival.
 */

/** Group key of the section for contacts in no group; group names are never empty. */
export const NO_GROUP = '';

/** What the order reads of a contact. */
export interface Ordered {
  readonly label: string;
  readonly jid: string;
}

/** What the list shows for a contact: its name, or its address when no name is set. */
export function labelOf(item: { readonly name: string | null; readonly jid: string }): string {
  return item.name !== null && item.name.trim() !== '' ? item.name : item.jid;
}

/** The comparisons of one collator locale. */
export interface RosterOrder {
  /** The collator's resolved locale: what the other side is told, so it sorts alike. */
  readonly locale: string;
  readonly compareText: (a: string, b: string) => number;
  /** Groups: by name, NO_GROUP last. */
  readonly compareGroups: (a: string, b: string) => number;
  /** Contacts within a group. */
  readonly compareContacts: (a: Ordered, b: Ordered) => number;
}

/**
 * The order for `locale` (a BCP 47 tag; undefined: the runtime's default).
 * A tag the runtime does not know falls back to its default, as Intl does.
 */
export function rosterOrder(locale?: string): RosterOrder {
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  } catch {
    collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  }
  const collate = collator.compare;
  return {
    locale: collator.resolvedOptions().locale,
    compareText: collate,
    // Two names the collator takes as equal ("Friends", "friends") are still two groups: code units decide.
    compareGroups: (a, b) =>
      a === b ? 0 : a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : collate(a, b) || (a < b ? -1 : 1),
    compareContacts: (a, b) => {
      if (a === b) return 0;
      const ja = a.jid;
      const jb = b.jid;
      return collate(a.label, b.label) || collate(ja, jb) || (ja < jb ? -1 : ja > jb ? 1 : 0);
    },
  };
}
