import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, closeVec } from './test-assert';
import { probabilityVector, RENORMALISE_TOLERANCE, SUM_TOLERANCE } from './math-errors';
import { brier, timeAveragedBrier } from './scoring';
import { posterior } from './bayes';
import { linearPool } from './aggregation';

describe('probabilityVector (docs/formulas.md#tolerance-renormalisation)', () => {
  it('uses a vector within SUM_TOLERANCE as given (the same array)', () => {
    const p = [0.2, 0.8];
    assert.equal(probabilityVector('f', p), p);
    const six = [0.333333, 0.333333, 0.333334];
    assert.equal(probabilityVector('f', six), six);
    const off = [0.5, 0.5 + 0.9 * SUM_TOLERANCE];
    assert.equal(probabilityVector('f', off), off);
  });
  it('renormalises a vector off by more than 1e-6 and at most 1e-3', () => {
    closeVec(probabilityVector('f', [0.3333, 0.3333, 0.3333]) as number[], [1 / 3, 1 / 3, 1 / 3], 1e-15);
    // two decimals, 1.001: 0.501 / 1.001 and 0.5 / 1.001
    closeVec(probabilityVector('f', [0.501, 0.5]) as number[], [0.501 / 1.001, 0.5 / 1.001], 1e-15);
    assert.equal(RENORMALISE_TOLERANCE, 1e-3);
  });
  it('refuses sums off by more than 1e-3, values outside [0, 1], one value', () => {
    throwsNamed('f', () => probabilityVector('f', [0.33, 0.33, 0.33]), /sum to 0.99.*tolerance 0.001/);
    throwsNamed('f', () => probabilityVector('f', [0.5, 0.502]), /sum to/);
    throwsNamed('f', () => probabilityVector('f', [50, 50]), /outside 0..1/);
    throwsNamed('f', () => probabilityVector('f', [1.0005, 0]), /outside 0..1/);
    throwsNamed('f', () => probabilityVector('f', [1]), /at least 2/);
  });
  it('the scores, Bayes and the pools accept a rounded vector as its renormalised copy', () => {
    const rounded = [0.3333, 0.3333, 0.3333];
    const exact = [1 / 3, 1 / 3, 1 / 3];
    assert.equal(brier(rounded, 0), brier(probabilityVector('t', rounded) as number[], 0));
    closeVec(posterior(rounded, [0.5, 0.2, 0.1]), posterior(exact, [0.5, 0.2, 0.1]), 1e-15);
    closeVec(linearPool([rounded, [0.2, 0.8, 0]]), linearPool([exact, [0.2, 0.8, 0]]), 1e-15);
    const h = [
      { time: 0, probabilities: rounded },
      { time: 5, probabilities: [0.6, 0.4, 0.0005] },
    ];
    const score = timeAveragedBrier(h, { start: 0, end: 10 }, 1).score as number;
    const b1 = brier(exact, 1);
    const b2 = brier([0.6 / 1.0005, 0.4 / 1.0005, 0.0005 / 1.0005], 1);
    assert.ok(Math.abs(score - (b1 + b2) / 2) < 1e-12);
  });
});
