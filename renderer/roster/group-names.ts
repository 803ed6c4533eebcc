// Checks of a group name typed as "New group…", before anything is sent.

/** The server's limit (main/core/roster/validate-change.ts): a JID part's 1023 bytes of UTF-8. */
const MAX_GROUP_BYTES = 1023;

/** Why `name` (trimmed) cannot be a group, in plain words; null when it can. */
export function groupNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name for the group.';
  if (new TextEncoder().encode(trimmed).length > MAX_GROUP_BYTES)
    return `That name is too long for a group (at most ${MAX_GROUP_BYTES} bytes).`;
  return null;
}

/** Case, accents' composition and runs of spaces aside: how people tell two group names apart. */
function fold(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/** The existing group `name` means (itself, or one differing only in case or spacing), or null for a new one. */
export function matchingGroup(existing: readonly string[], name: string): string | null {
  const trimmed = name.trim();
  if (existing.includes(trimmed)) return trimmed;
  const key = fold(trimmed);
  return existing.find((group) => fold(group) === key) ?? null;
}
