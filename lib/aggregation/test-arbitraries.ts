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
