import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCoherence } from './coherence-text';

const names = ['Managed', 'Strike', 'Escalation', 'Other'];

test('describeCoherence: an update that follows the likelihoods is coherent', () => {
  // prior (0.5, 0.3, 0.2), L = (0.2, 0.6, 0.4): posterior = (0.1, 0.18, 0.08)/0.36
  // python3 -c "p=[.5,.3,.2];L=[.2,.6,.4];z=sum(a*b for a,b in zip(p,L));print([a*b/z for a,b in zip(p,L)])"
  // -> [0.2778, 0.5, 0.2222]; Strike moves +20 points, the largest implied move... Managed moves -22.
  const f = describeCoherence(names.slice(0, 3), [0.5, 0.3, 0.2], [0.2, 0.6, 0.4], [0.2778, 0.5, 0.2222]);
  assert.equal(f.verdict, 'coherent');
  assert.equal(f.sentence, 'You moved Managed down 22 points; your likelihoods implied 22: in line with your likelihoods.');
});

test('describeCoherence: a small move is an under-reaction, a large one an over-reaction', () => {
  const under = describeCoherence(names.slice(0, 3), [0.5, 0.3, 0.2], [0.2, 0.6, 0.4], [0.45, 0.34, 0.21]);
  assert.equal(under.verdict, 'under-reaction');
  assert.match(under.sentence, /^You moved Managed down 5 points; your likelihoods implied 22: under-reaction\.$/);
  const over = describeCoherence(names.slice(0, 3), [0.5, 0.3, 0.2], [0.2, 0.6, 0.4], [0.05, 0.8, 0.15]);
  assert.equal(over.verdict, 'over-reaction');
});

test('describeCoherence: moving the other way, and an unobserved indicator uses 1 - L', () => {
  const opp = describeCoherence(names.slice(0, 2), [0.5, 0.5], [0.2, 0.8], [0.6, 0.4]);
  assert.equal(opp.verdict, 'opposite');
  assert.equal(opp.sentence, 'You moved Managed up 10 points; your likelihoods implied down 30: you moved against your own evidence.');
  // Unobserved with L = (0.2, 0.8): 1 - L = (0.8, 0.2) implies (0.8, 0.2) from an even prior.
  const unobs = describeCoherence(names.slice(0, 2), [0.5, 0.5], [0.2, 0.8], [0.8, 0.2], false);
  assert.equal(unobs.verdict, 'coherent');
  assert.ok(Math.abs(unobs.result.implied[0]! - 0.8) < 1e-12);
});

test('describeCoherence names the scenario where the update missed most', () => {
  // Dara's seeded update: prior (60, 22, 10, 8)%, L = (20, 55, 60, 10)%.
  // python3 -c "p=[.6,.22,.1,.08];L=[.2,.55,.6,.1];z=sum(a*b for a,b in zip(p,L));print([round(a*b/z,4) for a,b in zip(p,L)])"
  // -> [0.3883, 0.3916, 0.1942, 0.0259]; she submitted (40, 35, 17, 8)%, leaving Other at 8%.
  const f = describeCoherence(names, [0.6, 0.22, 0.1, 0.08], [0.2, 0.55, 0.6, 0.1], [0.4, 0.35, 0.17, 0.08]);
  assert.equal(f.verdict, 'under-reaction');
  assert.equal(f.sentence, 'You left Other unchanged; your likelihoods implied down 5: under-reaction.');
});
