// The e2e browser discovery order (e2e/browser.ts), on fake paths: nothing here touches the disk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHROMIUM_FLAGS, findBrowser, type BrowserProbe, type BundledChromium } from './browser';

const PLAYWRIGHT = '/fake/ms-playwright/chromium-1255/chrome-linux64/chrome';
const SYSTEM = ['/fake/usr/bin/chromium', '/fake/usr/bin/chromium-browser', '/fake/usr/bin/google-chrome'];
const BUNDLED: BundledChromium = {
  executablePath: '/fake/tmp/signpost-e2e-chromium-153.0.0/chromium',
  args: ['--no-pings', '--single-process', "--headless='shell'", '--no-sandbox'],
  libraryPath: '/fake/tmp/signpost-e2e-chromium-153.0.0/al2023/lib',
  version: '153.0.0',
};

/** A machine where exactly `present` exist; counts the unpacks of the bundled browser. */
function machine(present: string[], env: Record<string, string> = {}) {
  const probe: BrowserProbe & { unpacks: number } = {
    env,
    exists: (file) => present.includes(file),
    playwrightPath: () => PLAYWRIGHT,
    systemPaths: SYSTEM,
    unpacks: 0,
    unpackBundled: async () => {
      probe.unpacks++;
      return BUNDLED;
    },
  };
  return probe;
}

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, even when every other browser is there', async () => {
    const probe = machine(['/opt/my/chrome', PLAYWRIGHT, ...SYSTEM], { CHROMIUM_PATH: '/opt/my/chrome' });
    const choice = await findBrowser(probe);
    assert.equal(choice.source, 'path');
    assert.deepEqual(choice.launch, { executablePath: '/opt/my/chrome', args: CHROMIUM_FLAGS });
    assert.match(choice.description, /^CHROMIUM_PATH \/opt\/my\/chrome /);
    assert.equal(probe.unpacks, 0);
  });

  it('fails loudly, naming the path, when CHROMIUM_PATH does not exist (no fallback)', async () => {
    const probe = machine([PLAYWRIGHT, ...SYSTEM], { CHROMIUM_PATH: '/opt/missing/chrome' });
    await assert.rejects(findBrowser(probe), /CHROMIUM_PATH is set to \/opt\/missing\/chrome, which does not exist/);
  });

  it("takes Playwright's own Chromium next, when it is on disk", async () => {
    const choice = await findBrowser(machine([PLAYWRIGHT, ...SYSTEM]));
    assert.equal(choice.source, 'playwright');
    assert.equal(choice.launch.executablePath, PLAYWRIGHT);
    assert.deepEqual(choice.launch.args, CHROMIUM_FLAGS);
  });

  it("skips Playwright's Chromium when only its path is known, or Playwright has none for the platform", async () => {
    assert.equal((await findBrowser(machine(SYSTEM))).launch.executablePath, SYSTEM[0]);
    const probe = machine(SYSTEM);
    probe.playwrightPath = () => {
      throw new Error('unsupported platform');
    };
    assert.equal((await findBrowser(probe)).source, 'system');
  });

  it('takes the first system Chromium that exists, in the listed order', async () => {
    const choice = await findBrowser(machine([SYSTEM[2]!, SYSTEM[1]!]));
    assert.equal(choice.source, 'system');
    assert.deepEqual(choice.launch, { executablePath: SYSTEM[1], args: CHROMIUM_FLAGS });
    assert.equal(choice.description, `system Chromium ${SYSTEM[1]} (no CHROMIUM_PATH, no Playwright browser)`);
  });

  it('unpacks the bundled Chromium only when nothing else is there; drops --single-process, keeps headless', async () => {
    const probe = machine([], { LD_LIBRARY_PATH: '/usr/local/lib' });
    const choice = await findBrowser(probe);
    assert.equal(probe.unpacks, 1);
    assert.equal(choice.source, 'bundled');
    assert.equal(choice.launch.executablePath, BUNDLED.executablePath);
    assert.deepEqual(choice.launch.args, ['--no-pings', "--headless='shell'", '--no-sandbox']);
    assert.deepEqual(choice.launch.env, { LD_LIBRARY_PATH: `${BUNDLED.libraryPath}:/usr/local/lib` });
    assert.match(choice.description, /^bundled @sparticuz\/chromium 153\.0\.0 /);
  });

  it('E2E_BROWSER forces one step and skips the earlier ones', async () => {
    const all = [PLAYWRIGHT, ...SYSTEM];
    const bundled = machine(all, { E2E_BROWSER: 'bundled', CHROMIUM_PATH: SYSTEM[2]! });
    assert.equal((await findBrowser(bundled)).source, 'bundled');
    assert.equal(bundled.unpacks, 1);
    const system = await findBrowser(machine(all, { E2E_BROWSER: 'system' }));
    assert.deepEqual([system.source, system.launch.executablePath, system.description], ['system', SYSTEM[0], `system Chromium ${SYSTEM[0]} (E2E_BROWSER=system)`]);
    assert.equal((await findBrowser(machine(all, { E2E_BROWSER: 'playwright' }))).source, 'playwright');
    assert.equal((await findBrowser(machine(all, { E2E_BROWSER: 'auto' }))).source, 'playwright');
  });

  it('E2E_BROWSER fails rather than fall through when its step finds nothing, or names no step', async () => {
    const probe = machine([PLAYWRIGHT], { E2E_BROWSER: 'system' });
    await assert.rejects(findBrowser(probe), /E2E_BROWSER=system, but none of .*chromium.* exists/);
    assert.equal(probe.unpacks, 0);
    await assert.rejects(findBrowser(machine(SYSTEM, { E2E_BROWSER: 'playwright' })), /Playwright's Chromium is not on disk/);
    await assert.rejects(findBrowser(machine(SYSTEM, { E2E_BROWSER: 'path' })), /CHROMIUM_PATH is not set/);
    await assert.rejects(findBrowser(machine(SYSTEM, { E2E_BROWSER: 'firefox' })), /E2E_BROWSER must be auto, path, playwright, system, bundled; got "firefox"/);
  });
});
