// The dependency rule of docs/architecture.md, checked on every `npm test`:
//   app -> server -> db -> lib, nothing imports upward, lib/ does no I/O,
//   db/internal (row readers that skip authorisation) is for db/ only,
//   client components reach the server only through server actions,
//   transactions go through db.write/db.read, and no import circles.
// The rules are a function of the sources, so the second test shows each rule catching a
// deliberately wrong import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['app', 'server', 'db', 'lib', 'bench', 'scripts', 'e2e'];
const TOP_FILES = ['proxy.ts', 'instrumentation.ts', 'instrumentation-node.ts', 'playwright.config.ts'];
const EXTENSIONS = ['.ts', '.tsx', '.mjs'];
/** The only packages the pure core may use. */
const LIB_PACKAGES = new Set(['zod']);
/** Packages of the request edge and the UI, which db/ must not use. */
const EDGE_PACKAGES = new Set(['next', 'next-auth', 'react', 'react-dom', 'recharts']);

/** Tests and their helpers (test-*.ts) may read files and use node:assert. */
const isTest = (file: string) => /\.(test|spec|setup)\.tsx?$|(^|\/)test-[\w-]+\.ts$/.test(file);
const layerOf = (file: string) => file.split('/')[0]!;

export interface Violation {
  file: string;
  target: string;
  rule: string;
}

/** Every import of a source: its specifier and whether it is type-only. */
function importsOf(source: string): { spec: string; typeOnly: boolean }[] {
  const out: { spec: string; typeOnly: boolean }[] = [];
  const re = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[\w*${},\s]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) out.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return out;
}

/** The project file an import names (with its extension), or null for a package. */
function resolveImport(from: string, spec: string, files: ReadonlyMap<string, string>): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else return null;
  for (const candidate of [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)]) {
    if (files.has(candidate)) return candidate;
  }
  return base; // a file outside the measured tree (css, json): still placed in its layer
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageOf(spec));

/** Applies the dependency rule to a set of sources (path relative to the root -> text). */
export function checkArchitecture(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, Set<string>>();
  for (const [file, source] of files) {
    const layer = layerOf(file);
    const edges = new Set<string>();
    graph.set(file, edges);
    const client = /^\s*['"]use client['"]/.test(source);
    for (const { spec, typeOnly } of importsOf(source)) {
      const target = resolveImport(file, spec, files);
      const flag = (rule: string) => violations.push({ file, target: target ?? spec, rule });
      if (target === null) {
        const pkg = packageOf(spec);
        if (layer === 'lib' && !isTest(file) && !typeOnly && (isBuiltin(spec) || !LIB_PACKAGES.has(pkg))) flag('lib/ is pure: no I/O modules and no packages but zod');
        if (layer === 'db' && !isTest(file) && EDGE_PACKAGES.has(pkg)) flag('db/ does not use the request edge or UI packages');
        continue;
      }
      if (files.has(target)) edges.add(target);
      const to = layerOf(target);
      if (layer === 'lib' && !isTest(file) && to !== 'lib') flag('lib/ imports only lib/');
      if (layer === 'db' && (to === 'server' || to === 'app')) flag('db/ imports neither server/ nor app/');
      if (layer === 'server' && to === 'app') flag('server/ does not import app/');
      if (target.startsWith('db/internal/') && layer !== 'db') flag('db/internal/ (readers that skip authorisation) is for db/ only');
      if (client && !typeOnly && (to === 'db' || to === 'server')) flag("a 'use client' file reaches the server only through server actions");
    }
    if (!file.startsWith('db/engine-') && /\.transaction\(/.test(source) && !isTest(file) && layer !== 'bench') {
      violations.push({ file, target: '.transaction(', rule: 'transactions go through db.write / db.read (db/engine-*.ts)' });
    }
  }
  // Import circles: strongly connected components of more than one file (Tarjan).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) violations.push({ file: component.sort().join(' <-> '), target: '', rule: 'no import circles' });
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return violations;
}

function readTree(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(rel);
      } else if (EXTENSIONS.some((e) => entry.name.endsWith(e)) && !entry.name.endsWith('.d.ts')) {
        files.set(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
      }
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(d);
  for (const f of TOP_FILES) if (fs.existsSync(path.join(ROOT, f))) files.set(f, fs.readFileSync(path.join(ROOT, f), 'utf8'));
  return files;
}

test('the tree keeps the dependency rule: app -> server -> db -> lib, pure lib/, guarded db/, no circles', () => {
  const files = readTree();
  assert.ok(files.size > 100, `read ${files.size} files`);
  assert.ok(files.has('lib/aggregation/index.ts') || files.has('lib/aggregation.ts'), 'the tree was read');
  const violations = checkArchitecture(files);
  assert.deepEqual(violations, [], violations.map((v) => `${v.file} -> ${v.target}: ${v.rule}`).join('\n'));
});

test('each rule catches a deliberately wrong import', () => {
  const base = new Map([
    ['lib/pure.ts', "export const x = 1;\n"],
    ['db/internal/rows.ts', "import { x } from '@/lib/pure';\nexport const y = x;\n"],
    ['db/queries/q.ts', "import { y } from '../internal/rows';\nexport const z = y;\n"],
    ['server/edge.ts', "import { z } from '@/db/queries/q';\nexport const e = z;\n"],
    ['app/page.tsx', "import { e } from '@/server/edge';\nexport default function P() { return e; }\n"],
  ]);
  assert.deepEqual(checkArchitecture(base), [], 'a clean tree passes');
  const wrong: [string, string, RegExp][] = [
    ['lib/pure.ts', "import { z } from '@/db/queries/q';\nexport const x = z;\n", /lib\/ imports only lib/],
    ['lib/pure.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /lib\/ is pure/],
    ['lib/pure.ts', "import { redirect } from 'next/navigation';\nexport const x = redirect;\n", /lib\/ is pure/],
    ['db/queries/q.ts', "import { e } from '@/server/edge';\nexport const z = e;\n", /db\/ imports neither/],
    ['db/queries/q.ts', "import { cookies } from 'next/headers';\nexport const z = cookies;\n", /request edge or UI packages/],
    ['server/edge.ts', "import P from '@/app/page';\nexport const e = P;\n", /server\/ does not import app/],
    ['app/page.tsx', "import { y } from '@/db/internal/rows';\nexport default function P() { return y; }\n", /db\/internal/],
    ['app/form.tsx', "'use client';\nimport { z } from '@/db/queries/q';\nexport const f = z;\n", /use client/],
    ['db/queries/q.ts', "import { y } from '../internal/rows';\nexport const z = (db: any) => db.transaction(() => y);\n", /db\.write/],
    ['db/internal/rows.ts', "import { z } from '../queries/q';\nexport const y = z;\n", /no import circles/],
  ];
  for (const [file, source, rule] of wrong) {
    const files = new Map(base).set(file, source);
    const found = checkArchitecture(files);
    assert.ok(found.some((v) => rule.test(v.rule)), `${file}: expected a violation matching ${rule}, got ${JSON.stringify(found)}`);
  }
});
