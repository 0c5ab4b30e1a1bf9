// Which Chromium the e2e suite drives, found in this order (the first that is there wins):
//   1. CHROMIUM_PATH: if set, it must exist, or the run fails naming it;
//   2. Playwright's own Chromium, if `npx playwright install` has put it on disk;
//   3. the system's Chromium (/usr/bin/chromium, which Debian's `chromium` package provides, ...);
//   4. the Chromium inside the @sparticuz/chromium devDependency, unpacked to a temporary folder,
//      so `npm ci && npm test` passes on a machine with only Node.
// E2E_BROWSER=path|playwright|system|bundled takes that one step only (and fails if it finds
// nothing), to test a step on a machine that has an earlier one; unset or `auto`, the order above.
//
// The unpack of step 4 is asynchronous and Playwright's config is not, so the choice is made once,
// in e2e/global-setup.ts, which hands it to the workers in the E2E_BROWSER_CHOICE environment
// variable (Playwright starts the workers after global setup, with its environment, and each
// worker loads playwright.config.ts again, where browserLaunchOptions() reads it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the config passes to Playwright's launchOptions. */
export interface BrowserLaunch {
  executablePath: string;
  args: string[];
  /** Added to the browser's environment. */
  env?: Record<string, string>;
}

export interface BrowserChoice {
  source: BrowserSource;
  launch: BrowserLaunch;
  /** One line for the log: which browser and why. */
  description: string;
}

export const BROWSER_SOURCES = ['path', 'playwright', 'system', 'bundled'] as const;
export type BrowserSource = (typeof BROWSER_SOURCES)[number];

/** Where the system's Chromium usually is, in the order tried. */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * Flags for a full Chromium on this network-closed machine: no sandbox (root), no GPU, no
 * background connections that the closed network would refuse, many at a time.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The bundled Chromium, unpacked: its binary, its launch flags and the libraries it needs. */
export interface BundledChromium {
  executablePath: string;
  args: string[];
  libraryPath: string;
  version: string;
}

/** Everything findBrowser looks at, so the unit test can hand it fake paths. */
export interface BrowserProbe {
  env: Record<string, string | undefined>;
  exists: (file: string) => boolean;
  /** Where Playwright's own Chromium would be (it may not be on disk). */
  playwrightPath: () => string | undefined;
  systemPaths: readonly string[];
  unpackBundled: () => Promise<BundledChromium>;
}

export async function findBrowser(probe: BrowserProbe): Promise<BrowserChoice> {
  const forced = probe.env.E2E_BROWSER?.trim() || 'auto';
  if (forced !== 'auto' && !(BROWSER_SOURCES as readonly string[]).includes(forced)) {
    throw new Error(`E2E_BROWSER must be auto, ${BROWSER_SOURCES.join(', ')}; got "${forced}"`);
  }
  const why = (reason: string) => (forced === 'auto' ? reason : `E2E_BROWSER=${forced}`);
  const tries = (source: BrowserSource) => forced === 'auto' || forced === source;

  if (tries('path')) {
    const file = probe.env.CHROMIUM_PATH;
    if (file) {
      if (!probe.exists(file)) throw new Error(`CHROMIUM_PATH is set to ${file}, which does not exist`);
      return full('path', file, `CHROMIUM_PATH ${file} (${why('set in the environment')})`);
    }
    if (forced === 'path') throw new Error('E2E_BROWSER=path, but CHROMIUM_PATH is not set');
  }
  if (tries('playwright')) {
    let file: string | undefined;
    try {
      file = probe.playwrightPath();
    } catch {
      file = undefined; // no Playwright browser for this platform
    }
    if (file && probe.exists(file)) return full('playwright', file, `Playwright's Chromium ${file} (${why('installed by npx playwright install')})`);
    if (forced === 'playwright') throw new Error(`E2E_BROWSER=playwright, but Playwright's Chromium is not on disk (${file ?? 'no path'})`);
  }
  if (tries('system')) {
    const file = probe.systemPaths.find((p) => probe.exists(p));
    if (file) return full('system', file, `system Chromium ${file} (${why("no CHROMIUM_PATH, no Playwright browser")})`);
    if (forced === 'system') throw new Error(`E2E_BROWSER=system, but none of ${probe.systemPaths.join(', ')} exists`);
  }
  const bundled = await probe.unpackBundled();
  return {
    source: 'bundled',
    launch: {
      executablePath: bundled.executablePath,
      // The package's flags less --single-process (which it needs on AWS Lambda): with it, the
      // browser is gone once the first context closes, and every later context fails.
      args: bundled.args.filter((a) => a !== '--single-process'),
      env: { LD_LIBRARY_PATH: [bundled.libraryPath, probe.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    },
    description: `bundled @sparticuz/chromium ${bundled.version} ${bundled.executablePath} (${why('no CHROMIUM_PATH, Playwright or system Chromium')})`,
  };
}

function full(source: BrowserSource, executablePath: string, description: string): BrowserChoice {
  return { source, launch: { executablePath, args: CHROMIUM_FLAGS }, description };
}

/** The real machine. */
export function machineProbe(): BrowserProbe {
  return {
    env: process.env,
    exists: (file) => fs.existsSync(file),
    playwrightPath: () => require('@playwright/test').chromium.executablePath(),
    systemPaths: SYSTEM_CHROMIUM_PATHS,
    unpackBundled,
  };
}

/**
 * Unpacks @sparticuz/chromium into <tmp>/signpost-e2e-chromium-<version>: the binary, the
 * SwiftShader libraries beside it, and the NSS libraries it links against (the package unpacks
 * those only on AWS Lambda; a machine with only Node may lack them). The package reuses whatever
 * already sits at the paths it unpacks to, so it unpacks into a fresh staging folder that is
 * renamed into place only when complete: an interrupted unpack is never taken for a good one.
 */
async function unpackBundled(): Promise<BundledChromium> {
  const { default: chromium, inflate } = (await import('@sparticuz/chromium')) as typeof import('@sparticuz/chromium');
  const root = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(os.tmpdir(), `signpost-e2e-chromium-${version}`);
  const ready = path.join(target, '.complete');
  const unpacked: BundledChromium = {
    executablePath: path.join(target, 'chromium'),
    args: chromium.args,
    libraryPath: path.join(target, 'al2023', 'lib'),
    version,
  };
  if (fs.existsSync(ready)) return unpacked;

  fs.rmSync(target, { recursive: true, force: true }); // an incomplete copy left by hand
  const staging = fs.mkdtempSync(`${target}-unpacking-`);
  const tmpdir = process.env.TMPDIR;
  try {
    // The package unpacks into os.tmpdir(), which reads TMPDIR.
    process.env.TMPDIR = staging;
    const binary = await chromium.executablePath();
    const libs = await inflate(path.join(root, 'bin', 'al2023.tar.br'));
    if (binary !== path.join(staging, 'chromium') || libs !== path.join(staging, 'al2023')) {
      throw new Error(`@sparticuz/chromium unpacked to ${binary} and ${libs}, not into ${staging}`);
    }
    fs.writeFileSync(path.join(staging, '.complete'), `${version}\n`);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another run finished the same unpack first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(ready)) throw error;
  }
  return unpacked;
}

export const CHOICE_ENV = 'E2E_BROWSER_CHOICE';

/**
 * Launch options for playwright.config.ts, from the choice global setup made. The runner process
 * loads the config before global setup runs and launches no browser, so it gets none; a worker
 * without a choice fails at once rather than fall back to a browser nobody chose.
 */
export function browserLaunchOptions(): { executablePath?: string; args?: string[]; env?: Record<string, string | undefined> } {
  const raw = process.env[CHOICE_ENV];
  if (!raw) {
    if (process.env.TEST_WORKER_INDEX !== undefined) throw new Error(`${CHOICE_ENV} is not set: e2e/global-setup.ts did not run`);
    return {};
  }
  const launch = JSON.parse(raw) as BrowserLaunch;
  return { executablePath: launch.executablePath, args: launch.args, env: launch.env && { ...process.env, ...launch.env } };
}
