import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textFieldMenu, type TextFieldMenuParams } from '../../main/core/app/text-field-menu.js';

const none = { canUndo: false, canRedo: false, canCut: false, canCopy: false, canPaste: false, canSelectAll: false };

function params(fields: Partial<TextFieldMenuParams> = {}): TextFieldMenuParams {
  return { isEditable: true, selectionText: '', formControlType: 'input-text', editFlags: none, ...fields };
}

/** The menu as one line: a label per item, in brackets when greyed out, '|' for separators. */
function shape(menu: ReturnType<typeof textFieldMenu>): string | null {
  if (!menu) return null;
  return menu.map((e) => ('role' in e ? (e.enabled ? e.label : `[${e.label}]`) : '|')).join(' ');
}

test('issue 12 #5: a text field gets Undo, Redo, Cut, Copy, Paste, Select all, greyed out by what Chromium can do', () => {
  assert.equal(shape(textFieldMenu(params())), '[Undo] [Redo] | [Cut] [Copy] [Paste] | [Select all]');
  const typedAndSelected = params({
    selectionText: 'Romeo',
    editFlags: { canUndo: true, canRedo: false, canCut: true, canCopy: true, canPaste: true, canSelectAll: true },
  });
  assert.equal(shape(textFieldMenu(typedAndSelected)), 'Undo [Redo] | Cut Copy Paste | Select all');
  // Each item is an Electron role, so the edit happens in the focused field.
  assert.deepEqual(
    textFieldMenu(typedAndSelected)
      ?.filter((e) => 'role' in e)
      .map((e) => ('role' in e ? e.role : '')),
    ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'],
  );
});

test('issue 12 #5: a password field never offers Cut or Copy, even if Chromium would', () => {
  const menu = textFieldMenu(
    params({
      formControlType: 'input-password',
      selectionText: 'secret',
      editFlags: { canUndo: true, canRedo: true, canCut: true, canCopy: true, canPaste: true, canSelectAll: true },
    }),
  );
  assert.equal(shape(menu), 'Undo Redo | [Cut] [Copy] Paste | Select all');
});

test('issue 12 #5: selected read-only text gets Copy alone; anywhere else no menu at all', () => {
  assert.equal(
    shape(
      textFieldMenu(
        params({ isEditable: false, selectionText: 'romeo@example.net', editFlags: { ...none, canCopy: true } }),
      ),
    ),
    'Copy',
  );
  assert.equal(textFieldMenu(params({ isEditable: false })), null);
  assert.equal(textFieldMenu(params({ isEditable: false, selectionText: '  \n' })), null);
});
