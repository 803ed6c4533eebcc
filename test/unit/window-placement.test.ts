/**
 * issue 10 #1: the window opens at 1000 × 700 the first time, then where it
 * was closed, always on a screen that exists and never larger than it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SIZE,
  REMEMBERED_DISPLAYS,
  WINDOW_FILE,
  placeWindow,
  placeWindowOnDisplays,
  readSavedWindow,
  readWindowMemory,
  rememberWindow,
  writeSavedWindow,
  writeWindowMemory,
  type DisplayInfo,
} from '../../main/core/app/window-placement.js';
import { tempDir } from '../support/roster-fixtures.js';

const FULL_HD = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT = { x: 1920, y: 0, width: 2560, height: 1400 };
const SMALL = { x: 0, y: 0, width: 800, height: 560 };

describe('issue 10 #1: window placement', () => {
  it('issue 10 #1: a first start opens 1000 × 700, centred by the system', () => {
    assert.deepEqual(DEFAULT_SIZE, { width: 1000, height: 700 });
    assert.deepEqual(placeWindow(null, [FULL_HD]), { width: 1000, height: 700, maximized: false });
  });

  it('issue 10 #1: the default shrinks to a small screen, never below the one-pane minimum', () => {
    assert.deepEqual(placeWindow(undefined, [SMALL]), { width: 800, height: 560, maximized: false });
    const tiny = { x: 0, y: 0, width: 300, height: 300 };
    assert.deepEqual(placeWindow(undefined, [tiny]), { width: 320, height: 400, maximized: false });
  });

  it('issue 10 #1: the remembered size and position come back as they were', () => {
    const saved = { x: 120, y: 80, width: 1200, height: 800, maximized: false };
    assert.deepEqual(placeWindow(saved, [FULL_HD]), saved);
    assert.deepEqual(placeWindow({ ...saved, maximized: true }, [FULL_HD]), { ...saved, maximized: true });
  });

  it('issue 10 #1: a window on the second display comes back there, on that display, whole', () => {
    const saved = { x: 3000, y: 100, width: 900, height: 700, maximized: false };
    assert.deepEqual(placeWindow(saved, [FULL_HD, RIGHT]), saved);
    // partly off its right edge: moved left just enough
    const hanging = { x: 4300, y: 900, width: 900, height: 700, maximized: false };
    assert.deepEqual(placeWindow(hanging, [FULL_HD, RIGHT]), {
      x: 1920 + 2560 - 900,
      y: 1400 - 700,
      width: 900,
      height: 700,
      maximized: false,
    });
  });

  it('issue 10 #1: a window whose display is gone opens centred on the primary one, shrunk to fit it', () => {
    const onUnplugged = { x: 3000, y: 100, width: 2400, height: 1300, maximized: false };
    assert.deepEqual(placeWindow(onUnplugged, [FULL_HD]), { width: 1920, height: 1040, maximized: false });
  });

  it('issue 10 #1: a remembered size larger than the display shrinks to its work area', () => {
    const big = { x: 0, y: 0, width: 1600, height: 1000, maximized: false };
    assert.deepEqual(placeWindow(big, [SMALL]), { x: 0, y: 0, width: 800, height: 560, maximized: false });
  });

  it('issue 10 #1: damaged memories are ignored: the default size instead', () => {
    const damaged: unknown[] = [
      'x',
      42,
      [],
      { x: 0, y: 0, width: 0, height: 700 },
      { x: 0, y: 0, width: -5, height: 700 },
      { x: 0, y: 0, width: 'wide', height: 700 },
      { x: Number.NaN, y: 0, width: 900, height: 700 },
      { x: 1e12, y: 0, width: 900, height: 700 },
      { y: 0, width: 900, height: 700 },
    ];
    for (const saved of damaged)
      assert.deepEqual(placeWindow(saved, [FULL_HD]), { width: 1000, height: 700, maximized: false }, String(saved));
  });

  it('issue 10 #1: the placement is written and read back; a missing, broken or unwritable file costs only the placement', () => {
    const dir = tempDir();
    assert.equal(readSavedWindow(dir), null);
    const saved = { x: 10, y: 20, width: 1100, height: 720, maximized: true };
    writeSavedWindow(dir, saved);
    assert.deepEqual(readSavedWindow(dir), saved);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, WINDOW_FILE), 'utf8')), saved);
    writeFileSync(join(dir, WINDOW_FILE), '{"x": 1, "y":');
    assert.equal(readSavedWindow(dir), null);
    // a folder in the way of the file (as good as a read-only disk, also for root)
    const logged: string[] = [];
    const blocked = tempDir();
    mkdirSync(join(blocked, `${WINDOW_FILE}.tmp`));
    assert.doesNotThrow(() => writeSavedWindow(blocked, saved, (m) => logged.push(m)));
    assert.match(logged[0] ?? '', /could not be saved/);
    assert.equal(readSavedWindow(blocked), null);
  });
});

describe('issue 13 #1: window placement per display', () => {
  // A laptop's own screen (primary) and a monitor to its right; the work areas leave a 40 px panel.
  const LAPTOP: DisplayInfo = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: FULL_HD };
  const MONITOR: DisplayInfo = {
    id: 7,
    bounds: { x: 1920, y: 0, width: 2560, height: 1440 },
    workArea: RIGHT,
  };
  const onLaptop = { x: 100, y: 60, width: 900, height: 800, maximized: false };
  const onMonitor = { x: 2400, y: 200, width: 1400, height: 1000, maximized: true };

  it('issue 13 #1: each display keeps its own last bounds; the window reopens on the display it was last on', () => {
    let memory = rememberWindow(null, onLaptop, LAPTOP);
    memory = rememberWindow(memory, onMonitor, MONITOR);
    assert.deepEqual(
      memory.displays.map((d) => d.display.id),
      [7, 1],
      'the last display first',
    );
    assert.deepEqual(placeWindowOnDisplays(memory, [LAPTOP, MONITOR]), onMonitor);
    // Back on the laptop, closed there: the monitor's bounds stay remembered for it.
    memory = rememberWindow(memory, { ...onLaptop, x: 140 }, LAPTOP);
    assert.deepEqual(placeWindowOnDisplays(memory, [LAPTOP, MONITOR]), { ...onLaptop, x: 140 });
    assert.equal(memory.displays.length, 2, 'one entry per display');
  });

  it('issue 13 #1: when its display is gone (undocked), it opens where it last was on a display still there', () => {
    let memory = rememberWindow(null, onLaptop, LAPTOP);
    memory = rememberWindow(memory, onMonitor, MONITOR);
    assert.deepEqual(placeWindowOnDisplays(memory, [LAPTOP]), onLaptop, 'the laptop’s own bounds, not centred');
    // None of its displays: its last size, centred on the primary (as in issue 10).
    const projector: DisplayInfo = { id: 99, bounds: { x: 0, y: 0, width: 1280, height: 800 }, workArea: SMALL };
    assert.deepEqual(placeWindowOnDisplays(memory, [projector]), { width: 800, height: 560, maximized: true });
  });

  it('issue 13 #1: a display found by its bounds when its id changed, and by its id when it moved in the arrangement', () => {
    const memory = rememberWindow(null, onMonitor, MONITOR);
    // Same bounds, another id (some drivers renumber): still that display.
    assert.deepEqual(placeWindowOnDisplays(memory, [LAPTOP, { ...MONITOR, id: 8 }]), onMonitor);
    // Same id, now left of the laptop: the window moves with its display.
    const left: DisplayInfo = {
      id: 7,
      bounds: { x: -2560, y: 0, width: 2560, height: 1440 },
      workArea: { x: -2560, y: 0, width: 2560, height: 1400 },
    };
    assert.deepEqual(placeWindowOnDisplays(memory, [LAPTOP, left]), { ...onMonitor, x: 2400 - 1920 - 2560 });
  });

  it('issue 13 #1: an issue 10 window.json (one window, no display) still places the window; damaged entries are dropped', () => {
    assert.deepEqual(placeWindowOnDisplays(onLaptop, [LAPTOP]), onLaptop);
    const damaged = {
      version: 2,
      displays: [
        { display: { id: 'x', bounds: LAPTOP.bounds }, window: onLaptop },
        { display: { id: 1, bounds: LAPTOP.bounds }, window: { x: 0, y: 0, width: -1, height: 3 } },
        null,
        { display: { id: 7, bounds: MONITOR.bounds }, window: onMonitor },
      ],
    };
    assert.deepEqual(placeWindowOnDisplays(damaged, [LAPTOP, MONITOR]), onMonitor);
    assert.deepEqual(placeWindowOnDisplays({ version: 2, displays: 'no' }, [LAPTOP]), {
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('issue 13 #1: at most a few displays are remembered (the oldest dropped); the memory is written and read back', () => {
    let memory = rememberWindow(null, onLaptop, LAPTOP);
    for (let id = 100; id < 100 + REMEMBERED_DISPLAYS + 3; id += 1)
      memory = rememberWindow(memory, onLaptop, {
        id,
        bounds: { x: (id - 99) * 2000, y: 0, width: 1000, height: 800 },
        workArea: { x: (id - 99) * 2000, y: 0, width: 1000, height: 800 },
      });
    assert.equal(memory.displays.length, REMEMBERED_DISPLAYS);
    assert.ok(!memory.displays.some((d) => d.display.id === 1), 'the oldest display forgotten');
    const dir = tempDir();
    writeWindowMemory(dir, memory);
    assert.deepEqual(readWindowMemory(dir), memory);
    assert.equal(readWindowMemory(tempDir()), null);
  });
});
