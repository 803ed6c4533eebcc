// Issue 12 #1 and #3: the contact list's rows (one line, presence on the
// avatar, relation words only when not mutual, offline dimmed, the name
// before the status when room runs out, bidi, no synthetic italics, a
// comfortable density remembered) and the tree screen readers get, read
// from Chromium's own accessibility tree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ContactPresence, PresenceSnapshot, RosterItem } from '../../preload/contract.js';
import { appState, contact, mount, openApp, pageProblems, screenshot, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';

const env = useComponentEnv();

const ok = <T>(value: T) => ({ ok: true as const, value });
const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);

function presenceSnapshot(contacts: ContactPresence[]): PresenceSnapshot {
  return { contacts, requests: [], own: { show: 'available', status: null }, preApprovalSupported: false };
}

const verona: RosterItem[] = [
  contact('romeo@montague.example', { name: 'Romeo Montague', groups: ['Friends'] }),
  contact('rene@example.fr', { name: 'René Descartes', groups: ['Friends'], subscription: 'to' }),
  contact('nurse@capulet.example', { name: 'Nurse', groups: ['Family'], subscription: 'from' }),
  contact('mercutio@example.org', { name: 'Mercutio', groups: ['Friends'], subscription: 'none', ask: 'subscribe' }),
  contact('tanaka@example.jp', { name: '田中 太郎', groups: ['Friends'] }),
  contact('layla@example.sa', { name: 'ليلى العربية', groups: ['Family'] }),
  contact('noa@example.il', { name: 'נועה כהן', groups: ['Family'] }),
  contact('party@example.org', { name: '🎉 Party Bot', groups: ['Friends'], subscription: 'none' }),
];
const veronaPresence: ContactPresence[] = [
  { jid: 'romeo@montague.example', show: 'away', status: 'At the ball' },
  { jid: 'tanaka@example.jp', show: 'xa', status: '出張中、来週の月曜日に戻ります。急ぎの用件はメールでお願いします' },
  { jid: 'layla@example.sa', show: 'available', status: 'في اجتماع حتى المساء' },
  { jid: 'noa@example.il', show: 'dnd', status: 'בפגישה עד הערב' },
];

function setup(items = verona, presence = veronaPresence): HarnessSetup {
  return {
    state: appState(),
    roster: { account: 'juliet@example.com', version: 'v1', items },
    responses: { getPresence: [ok(presenceSnapshot(presence))] },
  };
}

/** Waits until the presence snapshot has reached the rows. */
async function presenceShown(page: Page): Promise<void> {
  await row(page, 'Friends', 'romeo@montague.example').locator('.presence.away').waitFor();
}

test('issue 12 #1: one line per contact: name, muted status after it, presence as a dot on the avatar, ~36 px', async () => {
  const page = await openApp(env, setup(), { viewport: { width: 1280, height: 800 } });
  await presenceShown(page);
  const romeo = row(page, 'Friends', 'romeo@montague.example');
  const box = (await romeo.boundingBox())!;
  assert.ok(box.height >= 30 && box.height <= 36, `row height ${box.height}`);
  const name = (await romeo.locator('.name').boundingBox())!;
  const status = (await romeo.locator('.status-text').boundingBox())!;
  assert.ok(Math.abs(name.y + name.height / 2 - (status.y + status.height / 2)) <= 2, 'status on the name’s line');
  assert.ok(status.x > name.x + name.width, 'status after the name');
  assert.equal(await romeo.locator('.status-text').textContent(), 'At the ball');
  const colours = await romeo.evaluate((el) => ({
    name: getComputedStyle(el.querySelector('.name')!).color,
    status: getComputedStyle(el.querySelector('.status-text')!).color,
  }));
  assert.notEqual(colours.status, colours.name, 'the status is muted');
  // The dot sits on the avatar's corner; no "away" printed in the row.
  const avatar = (await romeo.locator('.avatar').boundingBox())!;
  const dot = (await romeo.locator('.avatar .presence-dot').boundingBox())!;
  assert.ok(dot.x > avatar.x + avatar.width / 2 && dot.y > avatar.y + avatar.height / 2, 'bottom-right of the avatar');
  const words = (await romeo.locator('.presence-words').boundingBox())!;
  assert.ok(words.width <= 1 && words.height <= 1, 'the presence words are for screen readers only');
  // Dense: at 1280×800 far more than 9 contacts show.
  const shown = await page
    .locator('xm-contact-list .list')
    .evaluate((list) => list.getBoundingClientRect().height / 36);
  assert.ok(shown > 14, `${shown.toFixed(1)} rows fit`);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #1: mutual shows nothing; otherwise plain words; offline dimmed, never labelled "offline"', async () => {
  const page = await openApp(env, setup());
  await presenceShown(page);
  const words = async (group: string, jid: string) =>
    (await row(page, group, jid).locator('.relation').allTextContents()).join();
  assert.equal(await words('Friends', 'romeo@montague.example'), '');
  assert.equal(await words('Friends', 'rene@example.fr'), 'can’t see your status');
  assert.equal(await words('Family', 'nurse@capulet.example'), 'you don’t see their status');
  assert.equal(await words('Friends', 'mercutio@example.org'), 'hasn’t accepted yet');
  assert.equal(await words('Friends', 'party@example.org'), 'not sharing status');
  const text = await page.locator('xm-contact-list .list').innerText();
  assert.doesNotMatch(text, /offline|see each other|both/i);

  const look = (jid: string, group: string) =>
    row(page, group, jid).evaluate((el) => ({
      show: el.getAttribute('data-show'),
      name: getComputedStyle(el.querySelector('.name')!).color,
      avatar: getComputedStyle(el.querySelector('.avatar')!).opacity,
    }));
  const offline = await look('nurse@capulet.example', 'Family');
  const online = await look('layla@example.sa', 'Family');
  assert.equal(offline.show, 'offline');
  assert.notEqual(offline.name, online.name, 'an offline name is quieter');
  assert.ok(Number(offline.avatar) < 1, 'and so is its avatar');
  await screenshot(page, 'issue-12-rows');
  await page.context().close();
});

test('issue 12 #1: RTL status: isolated, upright, with the separator between the name and it', async () => {
  const page = await openApp(env, setup());
  await presenceShown(page);
  for (const jid of ['layla@example.sa', 'noa@example.il']) {
    const layout = await row(page, 'Family', jid).evaluate((el) => {
      const name = el.querySelector('.name')!.getBoundingClientRect();
      const sep = el.querySelector('.sep')!.getBoundingClientRect();
      const status = el.querySelector('.status-text')!.getBoundingClientRect();
      const styles = [...el.querySelectorAll('*')].map((e) => getComputedStyle(e).fontStyle);
      return {
        nameRight: name.right,
        sepLeft: sep.left,
        sepRight: sep.right,
        statusLeft: status.left,
        tags: [el.querySelector('.name')!.tagName, el.querySelector('.status-text')!.tagName],
        italic: styles.filter((s) => s !== 'normal').length,
      };
    });
    assert.deepEqual(layout.tags, ['BDI', 'BDI'], 'name and status are bidi-isolated');
    assert.ok(layout.sepLeft >= layout.nameRight - 1, `${jid}: separator after the name ${JSON.stringify(layout)}`);
    assert.ok(layout.sepRight <= layout.statusLeft + 1, `${jid}: and before the status ${JSON.stringify(layout)}`);
    assert.equal(layout.italic, 0, `${jid}: nothing slanted`);
  }
  await page.context().close();
});

test('issue 12 #1: when room runs out a long CJK name keeps its room and the long status is cut first', async () => {
  const long = contact('suzuki@example.jp', { name: '鈴木 一郎 (営業部)', groups: ['Friends'] });
  const page = await openApp(
    env,
    setup(
      [long],
      [{ jid: long.jid, show: 'xa', status: '出張中、来週の月曜日に戻ります。急ぎの用件はメールでお願いします' }],
    ),
    { viewport: { width: 320, height: 400 } },
  );
  const suzuki = row(page, 'Friends', long.jid);
  await suzuki.locator('.presence.xa').waitFor();
  const fit = await suzuki.evaluate((el) => {
    const name = el.querySelector<HTMLElement>('.name')!;
    const status = el.querySelector<HTMLElement>('.status-text')!;
    return {
      nameCut: name.scrollWidth > name.clientWidth + 1,
      statusCut: status.scrollWidth > status.clientWidth + 1,
      statusOverflow: getComputedStyle(status).textOverflow,
    };
  });
  assert.deepEqual(fit, { nameCut: false, statusCut: true, statusOverflow: 'ellipsis' });
  await screenshot(page, 'issue-12-rows-narrow');
  await page.context().close();
});

test('issue 12 #1: "Comfortable rows" gives two lines (address and status under the name), remembered', async () => {
  const page = await openApp(env, setup());
  await presenceShown(page);
  const romeo = row(page, 'Friends', 'romeo@montague.example');
  assert.equal(await romeo.locator('.jid').count(), 0, 'one line: no address');
  await page.getByRole('button', { name: 'List options' }).click(); // the density sits in the list options panel
  await page.getByRole('checkbox', { name: 'Comfortable rows' }).check();
  await page.keyboard.press('Escape');
  await romeo.locator('.meta .jid').waitFor();
  const height = (await romeo.boundingBox())!.height;
  assert.ok(height >= 48, `comfortable row height ${height}`);
  assert.equal(await romeo.locator('.meta .status-text').textContent(), 'At the ball');
  await screenshot(page, 'issue-12-rows-comfortable');

  await page.reload();
  await mount(page, setup());
  await row(page, 'Friends', 'romeo@montague.example').locator('.meta .jid').waitFor();
  await page.getByRole('button', { name: 'List options' }).click();
  assert.ok(await page.getByRole('checkbox', { name: 'Comfortable rows' }).isChecked());
  await page.context().close();
});

/**
 * Chromium's accessibility tree's treeitems, in order: level, expanded and name as Chromium computed them, with the
 * aria-posinset/aria-setsize each carries (the CDP tree does not report those two).
 */
async function axTreeItems(page: Page): Promise<string[]> {
  const positions = await page
    .locator('xm-contact-list [role=treeitem]')
    .evaluateAll((els) =>
      els
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((el) => `${el.getAttribute('aria-posinset')}/${el.getAttribute('aria-setsize')}`),
    );
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: {
      ignored: boolean;
      role?: { value: string };
      name?: { value: string };
      properties?: { name: string; value: { value: unknown } }[];
    }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && n.role?.value === 'treeitem')
    .map((n, i) => {
      const prop = (p: string) => n.properties?.find((x) => x.name === p)?.value.value;
      const expanded = prop('expanded');
      const state = expanded === undefined ? '' : expanded ? ' open' : ' closed';
      return `L${String(prop('level'))} ${positions[i] ?? '?'}${state} ${n.name?.value ?? ''}`;
    });
}

test('issue 12 #3: a tree: groups level 1 with their count, contacts level 2 named with presence, positions within the group', async () => {
  const page = await openApp(env, setup());
  await presenceShown(page);
  const tree = page.getByRole('tree', { name: 'Contacts' });
  await tree.waitFor();
  assert.deepEqual(await axTreeItems(page), [
    'L1 1/2 open Family, 3 contacts',
    'L2 1/3 Nurse, offline, you don’t see their status',
    'L2 2/3 נועה כהן, busy, בפגישה עד הערב',
    'L2 3/3 ليلى العربية, available, في اجتماع حتى المساء',
    'L1 2/2 open Friends, 5 contacts',
    'L2 1/5 🎉 Party Bot, offline, not sharing status',
    'L2 2/5 Mercutio, offline, hasn’t accepted yet',
    'L2 3/5 René Descartes, offline, can’t see your status',
    'L2 4/5 Romeo Montague, away, At the ball',
    'L2 5/5 田中 太郎, extended away, 出張中、来週の月曜日に戻ります。急ぎの用件はメールでお願いします',
  ]);
  // Playwright's own reading of the same tree: names as written (no CSS uppercase), nothing read twice.
  const snapshot = await tree.ariaSnapshot();
  assert.match(snapshot, /- treeitem "Family, 3 contacts" \[expanded\] \[level=1\]/);
  assert.match(snapshot, /- treeitem "Romeo Montague, away, At the ball" \[level=2\]/);
  assert.doesNotMatch(snapshot, /FAMILY|FRIENDS/);
  const transforms = await page
    .locator('xm-contact-list [role=treeitem]')
    .evaluateAll((els) =>
      els.flatMap((el) => [el, ...el.querySelectorAll('*')]).map((e) => getComputedStyle(e).textTransform),
    );
  assert.deepEqual([...new Set(transforms)], ['none']);
  // One tab stop in the whole tree.
  assert.equal(await page.locator('xm-contact-list [role=treeitem][tabindex="0"]').count(), 1);

  // Presence changes reach the name without redrawing the row.
  await page.evaluate(() =>
    window.harness.emit({ type: 'presence', presence: { jid: 'rene@example.fr', show: 'chat', status: 'Je pense' } }),
  );
  await page
    .getByRole('treeitem', { name: 'René Descartes, available, Je pense, can’t see your status', exact: true })
    .waitFor();

  // A folded group: collapsed, its contacts gone from the tree, the other group's positions unchanged.
  await page.getByRole('treeitem', { name: 'Family, 3 contacts' }).click();
  await page.getByRole('treeitem', { name: 'Family, 3 contacts', expanded: false }).waitFor();
  const folded = await axTreeItems(page);
  assert.deepEqual(folded.slice(0, 3), [
    'L1 1/2 closed Family, 3 contacts',
    'L1 2/2 open Friends, 5 contacts',
    'L2 1/5 🎉 Party Bot, offline, not sharing status',
  ]);
  await screenshot(page, 'issue-12-tree-folded');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
