import { test } from 'node:test';
import assert from 'node:assert/strict';
import Papa from 'papaparse';
import { csv } from './csv';

test('every text cell that could run as a formula is quoted, whatever follows, multi-line included', async () => {
  const risky = ['=HYPERLINK("http://x.example","y")\nmore', '+1\r\nx', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=1'];
  const safe = ['plain', 'a=b', ' =1', '', 'Ana -2'];
  const response = csv('t.csv', ['cell', 'number'], [...risky, ...safe].map((c, i) => [c, i % 2 ? -0.5 : 3]));
  const parsed = Papa.parse<string[]>(await response.text(), { skipEmptyLines: true }).data.slice(1);
  risky.forEach((c, i) => assert.equal(parsed[i]![0], `'${c}`, JSON.stringify(c)));
  safe.forEach((c, i) => assert.equal(parsed[risky.length + i]![0], c, JSON.stringify(c)));
  // Numbers stay numbers, negative ones included.
  assert.deepEqual(parsed.map((r) => r[1]), [...risky, ...safe].map((_, i) => (i % 2 ? '-0.5' : '3')));
});
