import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, throwsNamed } from '../test-assert';
import { scoreSeries } from '../scoring';
import { AGGREGATION_METHODS, getAggregationMethod } from './catalogue';
import type { StandingForecast } from './options';
import { recommendMethod, seriesBriers, MIN_RECORD_QUESTIONS, type MethodCandidate } from './recommend';
import { aggregateSeries } from './series';
import { skillWeightsFromHistories, type ResolvedQuestion } from './skill';
import { vectorArb } from './test-arbitraries';

/** A random resolved question: up to 5 forecasters, 1..15 forecasts, K = 3. */
const questionArb = (id: string) =>
  fc
    .record({
      rows: fc.array(fc.record({ who: fc.integer({ min: 0, max: 4 }), gap: fc.constantFrom(0, 1, 5), p: vectorArb(3) }), {
        minLength: 1,
        maxLength: 15,
      }),
      outcome: fc.integer({ min: 0, max: 2 }),
      startOffset: fc.integer({ min: -3, max: 3 }),
    })
    .map(({ rows, outcome, startOffset }) => {
      let t = 0;
      const history: StandingForecast[] = rows.map((r) => {
        t += r.gap;
        return { forecasterId: `f${r.who}`, time: t, probabilities: r.p };
      });
      return { id, history, outcome, window: { start: startOffset, end: t + 10 } } satisfies ResolvedQuestion;
    });

const recordArb = fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => questionArb(`q${i}`))));

/** Score of one candidate on one question through the public API only. */
function naiveScore(record: readonly ResolvedQuestion[], q: ResolvedQuestion, c: MethodCandidate): number | null {
  const inputs: { alpha?: number; skillWeights?: Map<string, number>; missingSkill?: 'neutral' } = {};
  if (c.alpha !== null) inputs.alpha = c.alpha;
  if (c.skill !== null) {
    inputs.skillWeights = skillWeightsFromHistories(record, { exclude: q.id, ...c.skill });
    inputs.missingSkill = 'neutral';
  }
  return scoreSeries(aggregateSeries(q.history, c.methodId, inputs), q.window, q.outcome).score;
}

describe('recommendMethod (docs/formulas.md#method-recommendation)', () => {
  it('equals a naive recomputation through aggregateSeries, skillWeightsFromHistories and scoreSeries', () => {
    const skillSettings = [
      { priorCount: 2, temperature: 0.05 },
      { priorCount: 0, temperature: 0.2 },
    ];
    fc.assert(
      fc.property(recordArb, fc.constantFrom(...AGGREGATION_METHODS.map((m) => m.id)), (record, currentMethodId) => {
        const r = recommendMethod(record, { currentMethodId, alphas: [1, 1.5], skillSettings, minQuestions: 3 });
        const scored = record.filter((q) => naiveScore(record, q, r.current.candidate) !== null);
        assert.deepEqual(
          r.unscored,
          record.filter((q) => !scored.includes(q)).map((q) => q.id),
        );
        assert.equal(r.questionCount, scored.length);
        assert.equal(r.tooShort, scored.length < 3);
        // uniform and recency: 3 pools + the extremised pool with 2 powers; skill: 3 pools x 2
        // settings + extremised-skill with 2 powers x 2 settings
        assert.equal(r.methods.length, scored.length === 0 ? 0 : 6 + 2 * 2 + 3 * 2 + 2 * 2);
        const table = r.methods.map((m) => scored.map((q) => naiveScore(record, q, m.candidate) as number));
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        r.methods.forEach((m, c) => {
          close(m.meanBrier, mean(table[c]!), 1e-9);
          close(m.difference, mean(table[c]!.map((x, i) => x - table[0]![i]!)), 1e-9);
        });
        if (scored.length === 0) return;
        close(r.current.meanBrier as number, mean(table[0]!), 1e-9);
        // in-sample best (first of the minima), or the current method when too short
        const means = table.map(mean);
        if (r.tooShort) assert.equal(r.recommended.key, r.current.candidate.key);
        else close(means[r.methods.findIndex((m) => m.candidate.key === r.recommended.key)]!, Math.min(...means), 2e-12);
        if (scored.length < 2) {
          assert.equal(r.leaveOneOut, null);
          return;
        }
        // leave one out: the held-out question's score of the candidate best on the others
        // (the chosen candidate must be a minimum on the others; among equal means within
        // rounding either may be chosen, and its own held-out score is then checked)
        const loo = scored.map((_, i) => {
          const others = table.map((row) => mean(row.filter((__, j) => j !== i)));
          const chosen = r.methods.findIndex((m) => m.candidate.key === r.leaveOneOut!.perQuestion[i]!.chosen);
          close(others[chosen]!, Math.min(...others), 2e-12);
          return table[chosen]![i]!;
        });
        loo.forEach((x, i) => close(r.leaveOneOut!.perQuestion[i]!.brier, x, 1e-9));
        close(r.leaveOneOut!.meanBrier, mean(loo), 1e-9);
        const d = loo.map((x, i) => x - table[0]![i]!);
        close(r.leaveOneOut!.difference, mean(d), 1e-9);
        const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean(d)) ** 2, 0) / (d.length - 1));
        close(r.leaveOneOut!.standardError as number, sd / Math.sqrt(d.length), 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it('hand-computed: two questions, two methods', () => {
    // One forecaster per question at time 0, window [0, 10]: every series is that forecast.
    // Linear and median pools give the forecast itself: q0 [0.8, 0.2] outcome 0 -> Brier 0.08;
    // q1 [0.3, 0.7] outcome 1 -> 0.18. Extremised alpha 2: q0 [0.64, 0.04]/0.68 -> 2 (0.04/0.68)^2
    // = 0.006920..., q1 [0.09, 0.49]/0.58 -> 2 (0.09/0.58)^2 = 0.048157...
    const record: ResolvedQuestion[] = [
      { id: 'q0', outcome: 0, window: { start: 0, end: 10 }, history: [{ forecasterId: 'a', time: 0, probabilities: [0.8, 0.2] }] },
      { id: 'q1', outcome: 1, window: { start: 0, end: 10 }, history: [{ forecasterId: 'b', time: 0, probabilities: [0.3, 0.7] }] },
    ];
    const r = recommendMethod(record, { currentMethodId: 'linear-uniform', candidates: ['extremised-uniform'], alphas: [2] });
    assert.equal(r.tooShort, true);
    assert.equal(r.recommended.key, 'linear-uniform');
    assert.equal(r.methods[1]!.candidate.key, 'extremised-uniform alpha=2');
    // python3 -c "a=2*(0.04/0.68)**2; b=2*(0.09/0.58)**2; print(a, b, (a+b)/2, (a+b)/2-0.13)"
    close(r.methods[1]!.meanBrier, 0.02753868561483487, 1e-12);
    close(r.methods[1]!.difference, 0.02753868561483487 - 0.13, 1e-12);
    // leave one out: each question's choice is the extremised pool (best on the other one)
    close(r.leaveOneOut!.meanBrier, 0.02753868561483487, 1e-12);
    assert.deepEqual(r.leaveOneOut!.choices, [{ key: 'extremised-uniform alpha=2', count: 2 }]);
    // paired differences d = (0.006920 - 0.08, 0.048157 - 0.18): SE = |d0 - d1| / 2
    // python3 -c "a=2*(0.04/0.68)**2-0.08; b=2*(0.09/0.58)**2-0.18; print(abs(a-b)/2)"
    close(r.leaveOneOut!.standardError as number, 0.029381729610078615, 1e-12);
    // the current method is not selectable here, yet scored as the reference
    assert.equal(recommendMethod(record, { currentMethodId: 'linear-uniform', candidates: ['extremised-uniform'], alphas: [2], minQuestions: 2 }).recommended.key, 'extremised-uniform alpha=2');
  });

  it('scores the current extremised method at its own power (currentAlpha)', () => {
    // Same two questions as above: extremised alpha 2 scores 0.006920... and 0.048157...
    const record: ResolvedQuestion[] = [
      { id: 'q0', outcome: 0, window: { start: 0, end: 10 }, history: [{ forecasterId: 'a', time: 0, probabilities: [0.8, 0.2] }] },
      { id: 'q1', outcome: 1, window: { start: 0, end: 10 }, history: [{ forecasterId: 'b', time: 0, probabilities: [0.3, 0.7] }] },
    ];
    const r = recommendMethod(record, { currentMethodId: 'extremised-uniform', currentAlpha: 2, candidates: ['linear-uniform'], alphas: [1] });
    assert.equal(r.current.candidate.key, 'extremised-uniform alpha=2');
    assert.equal(r.current.candidate.alpha, 2);
    close(r.current.meanBrier as number, 0.02753868561483487, 1e-12);
    // Without it, the catalogue's power 1.5.
    assert.equal(recommendMethod(record, { currentMethodId: 'extremised-uniform', candidates: ['linear-uniform'], alphas: [1] }).current.candidate.alpha, 1.5);
    // Ignored for a method that is not extremised; refused below 1.
    assert.equal(recommendMethod(record, { currentMethodId: 'linear-uniform', currentAlpha: 3 }).current.candidate.alpha, null);
    throwsNamed('recommendMethod', () => recommendMethod(record, { currentAlpha: 0.5 }), /alpha must be at least 1/);
  });

  it('scores the current skill method at its own setting (currentSkill), in the grid or not', () => {
    // Two forecasters, a better than b on every question: the skill setting changes the pool.
    const record: ResolvedQuestion[] = Array.from({ length: 4 }, (_, i) => ({
      id: `q${i}`,
      outcome: i % 2,
      window: { start: 0, end: 10 },
      history: [
        { forecasterId: 'a', time: 0, probabilities: i % 2 === 0 ? [0.8, 0.2] : [0.25, 0.75] },
        { forecasterId: 'b', time: 1, probabilities: i % 2 === 0 ? [0.4, 0.6] : [0.55, 0.45] },
      ],
    }));
    const own = { priorCount: 3, temperature: 0.02 };
    const grid = [{ priorCount: 20, temperature: 0.05 }];
    const r = recommendMethod(record, { currentMethodId: 'linear-skill', currentSkill: own, candidates: ['linear-skill'], skillSettings: grid, minQuestions: 1 });
    assert.equal(r.current.candidate.key, 'linear-skill priorCount=3 temperature=0.02');
    assert.deepEqual(r.current.candidate.skill, own);
    // Its score is the naive one at that setting, and differs from the grid's.
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const naive = (c: MethodCandidate) => mean(record.map((q) => naiveScore(record, q, c) as number));
    close(r.current.meanBrier as number, naive(r.current.candidate), 1e-12);
    const gridScore = r.methods.find((m) => m.candidate.key === 'linear-skill priorCount=20 temperature=0.05')!;
    close(gridScore.meanBrier, naive(gridScore.candidate), 1e-12);
    assert.ok(Math.abs(gridScore.meanBrier - (r.current.meanBrier as number)) > 1e-4);
    // Outside the grid it is the reference, not a choice: the grid's setting is recommended.
    assert.equal(r.recommended.key, 'linear-skill priorCount=20 temperature=0.05');
    // In the grid it may be chosen (here it is the sharper, better setting).
    const r2 = recommendMethod(record, { currentMethodId: 'linear-skill', currentSkill: own, candidates: ['linear-skill'], skillSettings: [...grid, own], minQuestions: 1 });
    assert.equal(r2.methods.length, 2);
    assert.equal(r2.recommended.key, r2.current.candidate.key);
    // Without it, the first setting of the grid; ignored for a method without skill weights.
    assert.deepEqual(recommendMethod(record, { currentMethodId: 'linear-skill', skillSettings: grid }).current.candidate.skill, grid[0]);
    assert.equal(recommendMethod(record, { currentMethodId: 'linear-uniform', currentSkill: own }).current.candidate.skill, null);
    throwsNamed('recommendMethod', () => recommendMethod(record, { currentSkill: { priorCount: 20, temperature: 0 } }), /currentSkill .*temperature must be positive/);
    throwsNamed('recommendMethod', () => recommendMethod(record, { currentSkill: { priorCount: -1, temperature: 0.05 } }), /currentSkill .*priorCount is negative/);
    throwsNamed('recommendMethod', () => recommendMethod(record, { currentSkill: null as never }), /currentSkill must be/);
  });

  it('too short below ten questions; groups are left out together', () => {
    const q = (i: number, group?: string): ResolvedQuestion => ({
      id: `q${i}`,
      ...(group ? { group } : {}),
      outcome: i % 2,
      window: { start: 0, end: 10 },
      history: [
        { forecasterId: 'a', time: 0, probabilities: [0.7, 0.3] },
        { forecasterId: 'b', time: 1, probabilities: [0.4, 0.6] },
      ],
    });
    const nine = Array.from({ length: 9 }, (_, i) => q(i));
    assert.equal(MIN_RECORD_QUESTIONS, 10);
    const short = recommendMethod(nine);
    assert.equal(short.tooShort, true);
    assert.equal(short.recommended.methodId, 'logarithmic-recency');
    assert.equal(recommendMethod([...nine, q(9)]).tooShort, false);
    // 12 questions in 4 groups: too short, and the SE has 4 clusters
    const grouped = Array.from({ length: 12 }, (_, i) => q(i, `g${i % 4}`));
    const g = recommendMethod(grouped, { currentMethodId: 'linear-uniform' });
    assert.equal(g.groupCount, 4);
    assert.equal(g.tooShort, true);
    assert.equal(g.leaveOneOut!.perQuestion.length, 12);
  });

  it('an unscored question is listed; seriesBriers equals scoreSeries for every power', () => {
    const late: ResolvedQuestion = {
      id: 'late',
      outcome: 0,
      window: { start: 0, end: 10 },
      history: [{ forecasterId: 'a', time: 20, probabilities: [0.5, 0.5] }],
    };
    assert.deepEqual(recommendMethod([late]).unscored, ['late']);
    const history: StandingForecast[] = [
      { forecasterId: 'a', time: 0, probabilities: [0.7, 0.2, 0.1] },
      { forecasterId: 'b', time: 3, probabilities: [0.1, 0.3, 0.6] },
      { forecasterId: 'a', time: 3, probabilities: [0.2, 0.2, 0.6] },
      { forecasterId: 'c', time: 7, probabilities: [0.3, 0.3, 0.4] },
    ];
    const window = { start: 1, end: 9 };
    const log = aggregateSeries(history, 'logarithmic-recency');
    const b = seriesBriers(log, window, 2, [1, 1.5, 3]) as number[];
    [1, 1.5, 3].forEach((alpha, i) => {
      const s = aggregateSeries(history, { ...getAggregationMethod('extremised-recency').options, alpha });
      close(b[i]!, scoreSeries(s, window, 2).score as number, 1e-12);
    });
  });

  it('guards', () => {
    throwsNamed('recommendMethod', () => recommendMethod([], { currentMethodId: 'mean' }), /unknown aggregation method id "mean"; valid ids: linear-uniform/);
    throwsNamed('recommendMethod', () => recommendMethod([], { candidates: ['median'] }), /valid ids/);
    throwsNamed('recommendMethod', () => recommendMethod([], { alphas: [0.5] }), /alpha must be at least 1/);
    throwsNamed('recommendMethod', () => recommendMethod([], { skillSettings: [{ priorCount: 1, temperature: 0 }] }), /temperature must be positive/);
    const bad: ResolvedQuestion = { id: 'x', outcome: 0, window: { start: 0, end: 10 }, history: [{ forecasterId: 'a', time: 0, probabilities: [0.5, 0.6] }] };
    throwsNamed('recommendMethod', () => recommendMethod([bad]), /question "x"/);
  });
});
