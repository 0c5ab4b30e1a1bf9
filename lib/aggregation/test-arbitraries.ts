// fast-check arbitraries and helpers shared by the lib/aggregation tests.
import fc from 'fast-check';
import { sum } from '../test-assert';
import { AGGREGATION_METHODS } from './catalogue';
import type { AggregationOptions, StandingForecast } from './options';

/** A probability vector of length k; values on a 1/20 grid half of the time, so ties happen. */
export const vectorArb = (k: number) =>
  fc
    .oneof(
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: k, maxLength: k }),
      fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: k, maxLength: k }),
    )
    .map((raw) => {
      const s = sum(raw);
      return raw.map((x) => x / s);
    });

export const vectorsArb = fc
  .integer({ min: 2, max: 5 })
  .chain((k) => fc.array(vectorArb(k), { minLength: 1, maxLength: 9 }));

export const optionsArb: fc.Arbitrary<AggregationOptions> = fc
  .record({
    entry: fc.constantFrom(...AGGREGATION_METHODS),
    alpha: fc.double({ min: 1, max: 3, noNaN: true }),
  })
  .map(({ entry, alpha }) => ({ ...entry.options, ...(entry.options.method === 'extremised' ? { alpha } : {}) }));

/** A random history: forecasters f0..f(F-1), non-decreasing integer times with ties. */
export const historyArb = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc
    .array(
      fc.record({
        who: fc.integer({ min: 0, max: 5 }),
        gap: fc.constantFrom(0, 0, 1, 5),
        p: vectorArb(k),
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((rows) => {
      let t = 1_700_000_000_000;
      return rows.map((r) => {
        t += r.gap * 1000;
        return { forecasterId: `f${r.who}`, time: t, probabilities: r.p } satisfies StandingForecast;
      });
    }),
);

export const skillMapArb = fc
  .array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 6, maxLength: 6 })
  .map((ws) => new Map(ws.slice(0, 5).map((w, i) => [`f${i}`, w]))); // f5 missing: weight 1

export function withSkill(options: AggregationOptions, skill: ReadonlyMap<string, number>): AggregationOptions {
  return options.weighting === 'skill' ? { ...options, skillWeights: skill } : options;
}

/**
 * Extreme and degenerate probability vectors of length k: certainty on one scenario (exact 0
 * and 1), exact zeros beside subnormal, tiny and boundary values, near-certainty, and vectors
 * whose sum is off by up to 9e-4 (renormalised by the pools).
 */
export const extremeVectorArb = (k: number): fc.Arbitrary<number[]> => {
  const oneHot = fc.integer({ min: 0, max: k - 1 }).map((i) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0)));
  const special = fc.oneof(
    fc.constant(0),
    fc.constant(5e-324),
    fc.constant(1e-300),
    fc.constant(1e-12),
    fc.constant(0.001),
    fc.constant(0.999),
    fc.constant(1),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );
  const mixed = fc
    .array(special, { minLength: k, maxLength: k })
    .filter((raw) => sum(raw) > 0)
    .map((raw) => {
      const s = sum(raw);
      return raw.map((x) => x / s);
    });
  const nearCertain = fc
    .record({ i: fc.integer({ min: 0, max: k - 1 }), eps: fc.constantFrom(1e-16, 1e-9, 1e-4, 0.0005) })
    .map(({ i, eps }) => Array.from({ length: k }, (_, j) => (j === i ? 1 - eps : eps / (k - 1))));
  const offSum = fc
    .record({ v: vectorArb(k), d: fc.double({ min: -9e-4, max: 9e-4, noNaN: true }) })
    .map(({ v, d }) => v.map((x) => Math.min(1, x * (1 + d))))
    .filter((v) => Math.abs(sum(v) - 1) <= 9.9e-4);
  return fc.oneof(oneHot, mixed, nearCertain, offSum, vectorArb(k));
};

/** 1 to 9 extreme vectors of one length 2..5. */
export const extremeVectorsArb = fc
  .integer({ min: 2, max: 5 })
  .chain((k) => fc.array(extremeVectorArb(k), { minLength: 1, maxLength: 9 }));

/** A random history of extreme vectors: forecasters f0..f5, non-decreasing times with ties. */
export const extremeHistoryArb = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc
    .array(
      fc.record({ who: fc.integer({ min: 0, max: 5 }), gap: fc.constantFrom(0, 0, 1, 5), p: extremeVectorArb(k) }),
      { minLength: 1, maxLength: 30 },
    )
    .map((rows) => {
      let t = 1_700_000_000_000;
      return rows.map((r) => {
        t += r.gap * 1000;
        return { forecasterId: `f${r.who}`, time: t, probabilities: r.p } satisfies StandingForecast;
      });
    }),
);

/** Skill weights for f0..f8 spanning twelve orders of magnitude. */
export const wideSkillMapArb = fc
  .array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 9, maxLength: 9 })
  .map((es) => new Map(es.map((e, i) => [`f${i}`, 10 ** e])));
