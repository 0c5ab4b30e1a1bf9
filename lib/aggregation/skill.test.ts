import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, throwsNamed } from '../test-assert';
import { relativeBrier } from '../scoring';
import { skillRecordsFromHistories, skillWeightsFromHistories, type ResolvedQuestion } from './skill';
import { skillWeightsFromRecords } from './weights';

const q1: ResolvedQuestion = {
  id: 'q1',
  window: { start: 0, end: 100 },
  outcome: 0,
  history: [
    { forecasterId: 'a', time: 0, probabilities: [0.9, 0.1] }, // Brier 0.02
    { forecasterId: 'b', time: 0, probabilities: [0.5, 0.5] }, // Brier 0.5
  ],
};
const q2: ResolvedQuestion = {
  id: 'q2',
  window: { start: 0, end: 100 },
  outcome: 1,
  history: [
    { forecasterId: 'a', time: 0, probabilities: [0.6, 0.4] }, // Brier 0.72
    { forecasterId: 'c', time: 0, probabilities: [0.2, 0.8] }, // Brier 0.08
    { forecasterId: 'a', time: 50, probabilities: [0.3, 0.7] }, // Brier 0.18
    { forecasterId: 'b', time: 50, probabilities: [0.5, 0.5] }, // Brier 0.5, from t = 50
  ],
};

describe('skillRecordsFromHistories and skillWeightsFromHistories (docs/formulas.md#skill-weights-from-histories)', () => {
  it('hand-computed records', () => {
    // q1: median 0.26; a -0.24, b +0.24.
    // q2: 0..50 a 0.72, c 0.08 (median 0.4); 50..100 a 0.18, c 0.08, b 0.5 (median 0.18).
    //   a: (0.72 - 0.4) * 50 + (0.18 - 0.18) * 50 = 16 over 100 -> 0.16
    //   c: (0.08 - 0.4) * 50 + (0.08 - 0.18) * 50 = -21 over 100 -> -0.21
    //   b: (0.5 - 0.18) over its 50 -> 0.32
    const r = new Map(skillRecordsFromHistories([q1, q2]).map((x) => [x.forecasterId, x]));
    close(r.get('a')!.meanRelativeBrier, (-0.24 + 0.16) / 2);
    assert.equal(r.get('a')!.resolvedCount, 2);
    close(r.get('b')!.meanRelativeBrier, (0.24 + 0.32) / 2);
    close(r.get('c')!.meanRelativeBrier, -0.21);
    assert.equal(r.get('c')!.resolvedCount, 1);
  });
  it('agrees with relativeBrier then skillWeightsFromRecords', () => {
    const rel1 = relativeBrier(new Map([['a', [q1.history[0]!]], ['b', [q1.history[1]!]]]), q1.window, 0);
    const w = skillWeightsFromHistories([q1], { priorCount: 1, temperature: 0.1 });
    const expected = skillWeightsFromRecords(
      [...rel1].map(([id, x]) => ({ forecasterId: id, meanRelativeBrier: x.relativeBrier!, resolvedCount: 1 })),
      { priorCount: 1, temperature: 0.1 },
    );
    assert.deepEqual(w, expected);
    // python3 -c "import math; print(math.exp(0.12/0.1), math.exp(-0.12/0.1))" -> 3.3201169227365472 0.30119421191220214
    close(w.get('a')!, 3.3201169227365472);
    close(w.get('b')!, 0.30119421191220214);
  });
  it('exclude leaves a question out; forecasters without a record get the neutral weight', () => {
    const w = skillWeightsFromHistories([q1, q2], { exclude: 'q2', priorCount: 1, temperature: 0.1, forecasters: ['a', 'b', 'c', 'z'] });
    close(w.get('a')!, 3.3201169227365472);
    assert.equal(w.get('c'), 1);
    assert.equal(w.get('z'), 1);
    assert.equal(skillWeightsFromHistories([q1, q2], { exclude: ['q1', 'q2'] }).size, 0);
  });
  it('questions sharing a group count once, with the mean of their relative Briers', () => {
    const g1 = { ...q1, group: 'G' };
    const g2 = { ...q2, group: 'G' };
    const r = new Map(skillRecordsFromHistories([g1, g2]).map((x) => [x.forecasterId, x]));
    assert.equal(r.get('a')!.resolvedCount, 1);
    close(r.get('a')!.meanRelativeBrier, (-0.24 + 0.16) / 2);
    // exclude names one question; its whole group is left out
    assert.equal(skillRecordsFromHistories([g1, g2], { exclude: 'q1' }).length, 0);
  });
  it('guards', () => {
    throwsNamed('skillRecordsFromHistories', () => skillRecordsFromHistories([q1, q1]), /appears twice/);
    throwsNamed('skillWeightsFromHistories', () => skillWeightsFromHistories([q1], { exclude: 'nope' }), /not in the record/);
    throwsNamed('skillWeightsFromHistories', () => skillWeightsFromHistories([{ ...q1, outcome: 2 }]), /outcome 2 is outside 0..1/);
    throwsNamed('skillWeightsFromHistories', () => skillWeightsFromHistories([q1], { temperature: 0 }), /temperature must be positive/);
    throwsNamed(
      'skillRecordsFromHistories',
      () => skillRecordsFromHistories([{ ...q1, history: [{ forecasterId: 'a', time: 0, probabilities: [0.5, 0.6] }] }]),
      /question "q1": relativeBrier: .*sum to/,
    );
  });
});
