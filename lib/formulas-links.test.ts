/**
 * Code comments and test names cite docs/formulas.md by heading
 * (`docs/formulas.md#time-averaged-brier`). This test fails when such a pointer, or a link
 * inside the document itself, names a heading that does not exist, or when two headings would
 * share an anchor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = fs.readFileSync(path.join(root, 'docs/formulas.md'), 'utf8');

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const headings = [...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string));
const anchors = new Set(headings);

/** Source and documentation files under `dir` (recursively), skipping build output and dependencies. */
function filesUnder(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true, recursive: true }).flatMap((e) => {
    const p = path.join(e.parentPath, e.name);
    return e.isFile() && /\.(ts|tsx|mjs|js|md)$/.test(e.name) && !/node_modules|\.next/.test(p) ? [p] : [];
  });
}

describe('docs/formulas.md anchors', () => {
  it('every heading has its own anchor', () => {
    assert.equal(anchors.size, headings.length, `duplicate headings: ${headings.filter((h, i) => headings.indexOf(h) !== i)}`);
  });

  it('every link inside the document names a heading', () => {
    const missing = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] as string).filter((a) => !anchors.has(a));
    assert.deepEqual(missing, []);
  });

  it('every pointer from the code to a heading of docs/formulas.md names one that exists', () => {
    const files = ['lib', 'bench', 'db', 'e2e', 'app', 'server', 'scripts', 'docs'].flatMap(filesUnder).concat(path.join(root, 'README.md'));
    const missing: string[] = [];
    let cited = 0;
    for (const file of files) {
      if (!fs.existsSync(file)) continue;
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/formulas\.md#([\p{L}\p{N}_-]+)/gu)) {
        cited++;
        if (!anchors.has(m[1] as string)) missing.push(`${path.relative(root, file)}: #${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(cited > 0, 'no file cites docs/formulas.md');
  });
});
