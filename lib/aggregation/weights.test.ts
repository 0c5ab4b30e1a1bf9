import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { throwsNamed, close, closeVec } from '../test-assert';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE, NEUTRAL_SKILL_WEIGHT, recencyWeights, skillWeightsFromRecords } from './weights';

// ------------------------------------------------------------------ weights

describe('recencyWeights', () => {
  it('Metaculus weights exp(sqrt(n) - sqrt(N)), oldest first', () => {
    // python3 -c "import math; print([math.exp(math.sqrt(i+1)-2) for i in range(4)])"
    closeVec(recencyWeights(4), [0.36787944117144233, 0.556667905035692, 0.7649466451949237, 1.0]);
    assert.deepEqual(recencyWeights(1), [1]);
    assert.deepEqual(recencyWeights(2), [1, 1]);
  });
  it('guards', () => {
    throwsNamed('recencyWeights', () => recencyWeights(0), /positive integer/);
    throwsNamed('recencyWeights', () => recencyWeights(2.5), /positive integer/);
  });
});

describe('skillWeightsFromRecords', () => {
  const records = [
    { forecasterId: 'a', meanRelativeBrier: -0.1, resolvedCount: 5 },
    { forecasterId: 'b', meanRelativeBrier: 0.2, resolvedCount: 15 },
    { forecasterId: 'c', meanRelativeBrier: -0.5, resolvedCount: 0 },
  ];
  it('w = exp(-(r n / (n + c)) / T)', () => {
    const w = skillWeightsFromRecords(records, { priorCount: 5, temperature: 0.1 });
    // python3 -c "import math; print(math.exp(0.05/0.1), math.exp(-0.15/0.1))" -> 1.6487212707001282 0.22313016014842987
    close(w.get('a') as number, 1.6487212707001282);
    close(w.get('b') as number, 0.22313016014842987);
    assert.equal(w.get('c'), 1);
    assert.equal(skillWeightsFromRecords([]).size, 0);
  });
  it('the tuned defaults: priorCount 20, temperature 0.05 (docs/formulas.md#tuned-skill-defaults)', () => {
    assert.equal(DEFAULT_SKILL_PRIOR_COUNT, 20);
    assert.equal(DEFAULT_SKILL_TEMPERATURE, 0.05);
    const w = skillWeightsFromRecords(records);
    // python3 -c "import math; print(math.exp(0.1*5/25/0.05), math.exp(-0.2*15/35/0.05))" -> 1.4918246976412703 0.1800923121479524
    close(w.get('a') as number, 1.4918246976412703);
    close(w.get('b') as number, 0.1800923121479524);
    assert.equal(w.get('c'), NEUTRAL_SKILL_WEIGHT);
  });
  it('property: few resolved questions give weight near 1; better scores give more weight', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (r1, r2) => {
        const w = skillWeightsFromRecords(
          [
            { forecasterId: 'one', meanRelativeBrier: r1, resolvedCount: 1 },
            { forecasterId: 'x', meanRelativeBrier: r1, resolvedCount: 40 },
            { forecasterId: 'y', meanRelativeBrier: r2, resolvedCount: 40 },
          ],
          { priorCount: 1000, temperature: 1 },
        );
        // one question, 1000 pseudo-questions: |shrunk| <= 1/1001
        assert.ok(Math.abs((w.get('one') as number) - 1) < 0.0011);
        if (r1 < r2 - 1e-9) assert.ok((w.get('x') as number) > (w.get('y') as number));
      }),
    );
  });
  it('guards', () => {
    const rec = (r: number, n: number, id = 'a') => ({ forecasterId: id, meanRelativeBrier: r, resolvedCount: n });
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1), rec(0, 1)]), /appears twice/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(NaN, 1)]), /NaN/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(3, 1)]), /outside -2..2/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, -1)]), /non-negative integer/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1)], { temperature: 0 }), /positive/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1)], { priorCount: -1 }), /negative/);
  });
});
