import {
  MemberList,
  NO_GROUP,
  compareEntries,
  type ContactEntry,
  type RosterSection,
  type RosterView,
} from '../roster/roster-model.js';
import type { ListOptions } from './list-options.js';
import type { PresenceStore } from './presence-store.js';
import { showRank } from './presence-words.js';

const groupsOf = (entry: ContactEntry): readonly string[] =>
  entry.item.groups.length > 0 ? entry.item.groups : [NO_GROUP];

/**
 * The roster as the list shows it once presence matters: sorted by
 * availability and/or without offline contacts. By name with everyone shown
 * (the default) it is the roster's own view, untouched, and presence events
 * never rebuild anything. Otherwise each group's members are derived once
 * and kept until that group's members or one of its contacts' presence
 * changes: the online contacts (few) are looked up from the store, not
 * found by scanning the roster.
 */
export class PresenceView {
  private cache = new Map<string, { source: MemberList; members: MemberList }>();
  private dirty: Set<string> | 'all' = 'all';
  private last: { source: RosterView; options: ListOptions; view: RosterView } | null = null;

  constructor(private readonly store: PresenceStore) {}

  /** Notes presence changes (null: many) so the groups they touch are derived again. */
  changed(jids: readonly string[] | null, source: RosterView | null): void {
    if (this.dirty === 'all') return;
    if (jids === null || !source) {
      this.dirty = 'all';
      return;
    }
    for (const jid of jids) {
      const entry = source.get(jid);
      if (entry) for (const group of groupsOf(entry)) this.dirty.add(group);
    }
  }

  view(source: RosterView | null, options: ListOptions): RosterView | null {
    if (!source || (options.sort === 'name' && !options.hideOffline)) return source;
    const last = this.last;
    const sameOptions =
      last !== null && last.options.sort === options.sort && last.options.hideOffline === options.hideOffline;
    if (!sameOptions) this.dirty = 'all';
    if (last && sameOptions && last.source === source && this.dirty !== 'all' && this.dirty.size === 0)
      return last.view;

    const store = this.store;
    const byAvailability = (a: ContactEntry, b: ContactEntry): number =>
      showRank(store.show(a.item.jid)) - showRank(store.show(b.item.jid)) || compareEntries(a, b);
    let onlineByGroup: Map<string, ContactEntry[]> | null = null;
    const onlineIn = (group: string): ContactEntry[] => {
      if (!onlineByGroup) {
        onlineByGroup = new Map();
        for (const presence of store.entries()) {
          const entry = source.get(presence.jid);
          if (!entry) continue;
          for (const g of groupsOf(entry)) {
            let list = onlineByGroup.get(g);
            if (!list) onlineByGroup.set(g, (list = []));
            list.push(entry);
          }
        }
      }
      return onlineByGroup.get(group) ?? [];
    };

    const sections: RosterSection[] = [];
    const cache = new Map<string, { source: MemberList; members: MemberList }>();
    for (const section of source.sections) {
      const cached = this.cache.get(section.group);
      let members: MemberList;
      if (cached?.source === section.members && this.dirty !== 'all' && !this.dirty.has(section.group)) {
        members = cached.members;
      } else {
        const online = onlineIn(section.group)
          .slice()
          .sort(options.sort === 'availability' ? byAvailability : compareEntries);
        if (options.hideOffline) {
          members = new MemberList(online, online.length);
        } else {
          const isOnline = (entry: ContactEntry): boolean => store.get(entry.item.jid) !== undefined;
          const items = online.concat(section.members.all().filter((entry) => !isOnline(entry)));
          members = new MemberList(items, items.length);
        }
      }
      cache.set(section.group, { source: section.members, members });
      // While loading, the contacts not arrived yet stay placeholders after those sorted here.
      const placeholders = options.hideOffline
        ? 0
        : Math.max(0, section.members.length + section.placeholders - members.length);
      if (members.length + placeholders > 0) sections.push({ group: section.group, members, placeholders });
    }
    this.cache = cache;
    this.dirty = new Set();
    const view: RosterView = { ...source, sections };
    this.last = { source, options: { ...options }, view };
    return view;
  }
}
