/**
 * Which items the right-click menu of a text field offers, decided from what
 * Chromium says about the place clicked (Electron's `context-menu` params).
 * Pure, so it is tested without Electron; main/text-field-menu.ts builds the
 * native menu from it.
 *
 * What people expect from a desktop text field (GTK, Windows, macOS): Undo
 * and Redo, Cut, Copy, Paste, Select all, each greyed out when it cannot act
 * rather than missing, so the menu keeps its shape. Read-only text that is
 * selected (an address in a dialog) gets Copy alone. Anywhere else no menu:
 * the page's own menus (contacts, groups) handle their right-clicks, and a
 * menu of nothing but greyed items helps nobody.
 */

/** The fields of Electron's ContextMenuParams this decision reads (a structural subset). */
export interface TextFieldMenuParams {
  isEditable: boolean;
  selectionText: string;
  /** Electron 45: 'input-password' for a password field. */
  formControlType?: string;
  editFlags: {
    canUndo: boolean;
    canRedo: boolean;
    canCut: boolean;
    canCopy: boolean;
    canPaste: boolean;
    canSelectAll: boolean;
  };
}

/** Electron menu roles: each performs the edit in the focused web contents. */
export type TextFieldRole = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll';

export type TextFieldMenuEntry = { type: 'separator' } | { role: TextFieldRole; label: string; enabled: boolean };

const LABELS: Record<TextFieldRole, string> = {
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select all',
};

const item = (role: TextFieldRole, enabled: boolean): TextFieldMenuEntry => ({ role, label: LABELS[role], enabled });

/** The menu for a right-click at `params`, or null when none should open. */
export function textFieldMenu(params: TextFieldMenuParams): TextFieldMenuEntry[] | null {
  const flags = params.editFlags;
  if (!params.isEditable) {
    return params.selectionText.trim() === '' ? null : [item('copy', flags.canCopy)];
  }
  // A password never leaves its field by the clipboard (Chromium says the same; this does not rely on it).
  const secret = params.formControlType === 'input-password';
  return [
    item('undo', flags.canUndo),
    item('redo', flags.canRedo),
    { type: 'separator' },
    item('cut', flags.canCut && !secret),
    item('copy', flags.canCopy && !secret),
    item('paste', flags.canPaste),
    { type: 'separator' },
    item('selectAll', flags.canSelectAll),
  ];
}
