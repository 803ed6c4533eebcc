import type { RosterItem } from '../../preload/contract.js';
import type { PresenceStore } from '../presence/presence-store.js';
import {
  ContactEntry,
  MemberList,
  compareEntries,
  type RosterSection,
  type RosterView,
} from '../roster/roster-model.js';
import { OTHERS_SECTION, RECENT_SECTION } from '../roster/rows.js';
import type { ConversationSummaries } from './conversation-summaries.js';

/** An address we only have a conversation with, as a row: no name, no groups, nothing shared. */
function strangerItem(jid: string): RosterItem {
  return { jid, name: null, subscription: 'none', ask: null, approved: false, groups: [] };
}

/**
 * The roster in the "Recent" order: two sections instead of groups, "Recent"
 * (every conversation with a message, newest first: also those with
 * addresses not in the roster, so a removed contact's conversation stays
 * readable) and "Other contacts" (everyone else, by name, each once however
 * many groups they are in). Built again only when the roster or the order of
 * conversations changes (a new last message), never for an unread count;
 * with "Hide offline contacts" the others are the online ones (few), looked
 * up in the presence store.
 */
export class RecentView {
  private byName: { source: RosterView; entries: readonly ContactEntry[] } | null = null;
  private strangers = new Map<string, ContactEntry>();
  private last: { source: RosterView; order: number; online: PresenceStore | null; view: RosterView } | null = null;

  /** @param online the presence store when offline contacts are hidden, else null */
  view(source: RosterView | null, summaries: ConversationSummaries, online: PresenceStore | null): RosterView | null {
    if (!source) return null;
    const last = this.last;
    // Presence changes matter only while offline contacts are hidden: then the (few) online are looked up again.
    if (last?.source === source && last.order === summaries.orderVersion && last.online === null && online === null)
      return last.view;

    const recent: ContactEntry[] = [];
    const inRecent = new Set<string>();
    const strangers = new Map<string, ContactEntry>();
    for (const summary of summaries.recent()) {
      let entry = source.get(summary.jid);
      if (!entry) {
        entry = this.strangers.get(summary.jid) ?? new ContactEntry(strangerItem(summary.jid), true);
        strangers.set(summary.jid, entry);
      }
      recent.push(entry);
      inRecent.add(summary.jid);
    }
    this.strangers = strangers;

    const others = online
      ? [...online.entries()]
          .map((presence) => source.get(presence.jid))
          .filter((entry): entry is ContactEntry => entry !== undefined && !inRecent.has(entry.jid))
          .sort(compareEntries)
      : this.everyoneByName(source).filter((entry) => !inRecent.has(entry.jid));

    const sections: RosterSection[] = [];
    if (recent.length > 0)
      sections.push({ group: RECENT_SECTION, members: new MemberList(recent, recent.length), placeholders: 0 });
    // While the roster loads, the contacts not arrived yet hold their places at the end.
    const placeholders = online ? 0 : source.loading;
    if (others.length + placeholders > 0)
      sections.push({ group: OTHERS_SECTION, members: new MemberList(others, others.length), placeholders });
    const view: RosterView = {
      size: source.size + strangers.size,
      loading: source.loading,
      sections,
      get: (jid) => source.get(jid) ?? strangers.get(jid),
      matcher: source.matcher,
    };
    this.last = { source, order: summaries.orderVersion, online, view };
    return view;
  }

  /** Every contact known, once, by name: sorted once per roster (a roster change makes a new view). */
  private everyoneByName(source: RosterView): readonly ContactEntry[] {
    if (this.byName?.source === source) return this.byName.entries;
    const seen = new Set<string>();
    const entries: ContactEntry[] = [];
    for (const section of source.sections) {
      for (const entry of (section.known?.() ?? section.members).all()) {
        if (seen.has(entry.jid)) continue;
        seen.add(entry.jid);
        entries.push(entry);
      }
    }
    entries.sort(compareEntries);
    this.byName = { source, entries };
    return entries;
  }
}
