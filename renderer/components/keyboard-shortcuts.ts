/** Every keyboard shortcut of the app, by where it works: what the keyboard help (xm-keyboard-help) lists. */
export interface Shortcut {
  /** The keys, each as printed on the key cap; alternatives are separate entries. */
  keys: readonly (readonly string[])[];
  does: string;
}

export interface ShortcutSection {
  title: string;
  shortcuts: readonly Shortcut[];
}

export const SHORTCUTS: readonly ShortcutSection[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: [['Ctrl', 'N']], does: 'Add a contact' },
      { keys: [['Ctrl', 'F'], ['/']], does: 'Search contacts' },
      { keys: [['?']], does: 'Show these keyboard shortcuts' },
      { keys: [['Tab'], ['Shift', 'Tab']], does: 'Move between the header, the requests, and the list' },
      { keys: [['Esc']], does: 'Close a menu or dialog' },
    ],
  },
  {
    title: 'Search',
    shortcuts: [
      { keys: [['Esc']], does: 'Clear the search; when empty, go to the list' },
      { keys: [['↓']], does: 'Go to the list' },
    ],
  },
  {
    title: 'Contact list',
    shortcuts: [
      { keys: [['↑'], ['↓']], does: 'Previous or next contact or group' },
      { keys: [['Home'], ['End']], does: 'First or last in the list' },
      { keys: [['Page Up'], ['Page Down']], does: 'Up or down a page' },
      { keys: [['A–Z']], does: 'Jump to a contact by typing the start of their name' },
      { keys: [['←'], ['→']], does: 'Fold or unfold a group' },
      { keys: [['Enter']], does: 'Open the conversation (on a group: fold or unfold it)' },
      { keys: [['F2']], does: 'Edit the contact, or rename the group' },
      { keys: [['Delete']], does: 'Remove the contact (asks first)' },
      { keys: [['Menu'], ['Shift', 'F10']], does: 'Open the context menu of the contact or group' },
    ],
  },
  {
    title: 'Menus',
    shortcuts: [
      { keys: [['↑'], ['↓']], does: 'Previous or next item' },
      { keys: [['Home'], ['End']], does: 'First or last item' },
      { keys: [['Enter'], ['Space']], does: 'Choose the item' },
    ],
  },
];
