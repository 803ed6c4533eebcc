import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appMenuTemplate, menuItems, type MenuItemDescription } from '../../main/core/desktop/app-menu-template.js';

const labels = (items: readonly MenuItemDescription[] | undefined): string[] =>
  (items ?? []).map((item) => (item.type === 'separator' ? '—' : (item.label ?? `(${item.role})`)));
const submenu = (template: MenuItemDescription[], label: string): MenuItemDescription[] => {
  const menu = template.find((item) => item.label === label);
  assert.ok(menu?.submenu, `a ${label} menu`);
  return menu.submenu;
};

for (const platform of ['linux', 'win32', 'darwin']) {
  test(`issue 13 #3: the application menu (${platform}) is our own: no "Learn More", no electronjs.org, no default roles`, () => {
    const template = appMenuTemplate({ platform });
    const all = menuItems(template);
    for (const item of all) {
      assert.doesNotMatch(JSON.stringify(item), /learn more|electronjs|electron\.org|github\.com/i);
      // A role that builds a whole default submenu (help, appMenu…) would bring Electron's entries back.
      assert.doesNotMatch(item.role ?? '', /menu$|^help$|^about$/i);
      if (item.type !== 'separator') assert.ok(item.label, 'every item has a label of ours');
      if (!item.submenu && item.type !== 'separator')
        assert.ok(item.role ?? item.command, `${item.label} does something`);
    }
    assert.equal(
      all.filter((item) => item.role === 'toggleDevTools' || item.role === 'reload').length,
      0,
      'no devtools',
    );
    const help = submenu(template, 'Help');
    const commands = menuItems(template)
      .map((item) => item.command)
      .filter(Boolean);
    for (const command of [
      'about',
      'settings',
      'keyboard-help',
      'connection-report',
      'open-profile-folder',
      'add-contact',
      'copy-address',
      'show-address',
    ])
      assert.ok(commands.includes(command as never), `${command} is in the menu`);
    assert.deepEqual(
      help.filter((item) => item.command).map((item) => item.command),
      platform === 'darwin'
        ? ['keyboard-help', 'connection-report', 'open-profile-folder']
        : ['keyboard-help', 'connection-report', 'open-profile-folder', 'about'],
    );
    const view = submenu(template, 'View');
    assert.deepEqual(
      view.map((item) => item.role ?? '—'),
      ['resetZoom', 'zoomIn', 'zoomOut', '—', 'togglefullscreen'],
    );
    const edit = submenu(template, 'Edit').map((item) => item.role);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) assert.ok(edit.includes(role as never));
    const settings = all.find((item) => item.command === 'settings');
    assert.equal(settings?.accelerator, 'CmdOrCtrl+,');
    // The page keeps Ctrl+N and "?" (its rules: not in a dialog, not while typing); the menu only shows them.
    for (const command of ['add-contact', 'keyboard-help'])
      assert.equal(all.find((item) => item.command === command)?.registerAccelerator, false);
  });
}

test('issue 13 #3: macOS gets the app menu (About, Settings, Quit), the others Balcony / Edit / View / Help', () => {
  const mac = appMenuTemplate({ platform: 'darwin' });
  assert.deepEqual(labels(mac), ['Balcony', 'File', 'Edit', 'View', 'Window', 'Help']);
  assert.deepEqual(labels(submenu(mac, 'Balcony')), [
    'About Balcony',
    '—',
    'Settings…',
    '—',
    'Services',
    '—',
    'Hide Balcony',
    'Hide Others',
    'Show All',
    '—',
    'Quit Balcony',
  ]);
  const linux = appMenuTemplate({ platform: 'linux' });
  assert.deepEqual(labels(linux), ['Balcony', 'Edit', 'View', 'Help']);
  assert.deepEqual(labels(submenu(linux, 'Balcony')), [
    'Add Contact…',
    'Copy My Address',
    'Show My Address…',
    '—',
    'Settings…',
    '—',
    'Quit',
  ]);
  assert.equal(submenu(linux, 'Balcony').at(-1)?.role, 'quit');
  assert.deepEqual(labels(submenu(linux, 'Help')), [
    'Keyboard Shortcuts',
    'Connection Report…',
    'Open the Profile Folder',
    '—',
    'About Balcony',
  ]);
});

test('issue 13 #3: reload and the developer tools only when allowDevTools is passed true', () => {
  for (const platform of ['linux', 'darwin']) {
    const roles = (allowDevTools?: boolean) =>
      menuItems(appMenuTemplate({ platform, allowDevTools })).map((item) => item.role);
    assert.equal(roles().includes('toggleDevTools'), false);
    assert.equal(roles(false).includes('toggleDevTools'), false);
    assert.equal(roles(true).includes('toggleDevTools'), true);
    assert.equal(roles(true).includes('reload'), true);
  }
});
