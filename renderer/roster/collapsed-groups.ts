// Which groups the user folded away, remembered per account in localStorage
// so the list opens as it was left. Storage failures (quota, disabled
// storage) only cost the memory, never the list.

const storageKey = (account: string): string => `balcony.collapsed-groups.${account}`;

export function loadCollapsedGroups(account: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(account)) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === 'string') : []);
  } catch {
    return new Set();
  }
}

export function saveCollapsedGroups(account: string, groups: ReadonlySet<string>): void {
  try {
    if (groups.size === 0) localStorage.removeItem(storageKey(account));
    else localStorage.setItem(storageKey(account), JSON.stringify([...groups]));
  } catch {
    // see above: forgetting which groups were folded is acceptable
  }
}
