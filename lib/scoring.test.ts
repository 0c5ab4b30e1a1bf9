import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, close, sum } from './test-assert';
import fc from 'fast-check';
import {
  type ForecastStep,
  brier,
  logScore,
  normalisedLogScore,
  relativeBrier,
  scoreSeries,
  timeAveragedBrier,
  updateValue,
} from './scoring';
import { aggregateSeries } from './aggregation';

const vectorArb = (k: number) =>
  fc
    .oneof(
      fc.array(fc.integer({ min: 1, max: 10 }), { minLength: k, maxLength: k }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: k, maxLength: k }),
    )
    .filter((raw) => sum(raw) > 0)
    .map((raw) => raw.map((x) => x / sum(raw)));

/** Histories of up to 5 forecasters with integer times in [-20, 120] (window [0, 100]). */
const historiesArb = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc.tuple(
    fc.constant(k),
    fc.array(
      fc.array(fc.record({ time: fc.integer({ min: -20, max: 120 }), p: vectorArb(k) }), { minLength: 0, maxLength: 6 }),
      { minLength: 1, maxLength: 5 },
    ),
    fc.integer({ min: 0, max: k - 1 }),
  ),
);

function toHistories(raw: { time: number; p: number[] }[][]): Map<string, ForecastStep[]> {
  return new Map(
    raw.map((steps, f) => [
      `f${f}`,
      [...steps].sort((a, b) => a.time - b.time).map((s) => ({ time: s.time, probabilities: s.p })),
    ]),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Naive relative Brier: evaluate the standing set on every elementary interval between change points. */
function naiveRelative(histories: Map<string, ForecastStep[]>, start: number, end: number, outcome: number) {
  const points = new Set<number>([start, end]);
  for (const h of histories.values()) for (const s of h) if (s.time > start && s.time < end) points.add(s.time);
  const cuts = [...points].sort((a, b) => a - b);
  const acc = new Map<string, { rel: number; own: number; covered: number }>();
  for (const id of histories.keys()) acc.set(id, { rel: 0, own: 0, covered: 0 });
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i] as number;
    const b = cuts[i + 1] as number;
    const standing = new Map<string, number>();
    for (const [id, h] of histories) {
      const last = h.filter((s) => s.time <= a).at(-1);
      if (last) standing.set(id, brier(last.probabilities, outcome));
    }
    if (standing.size === 0) continue;
    const m = median([...standing.values()]);
    for (const [id, bs] of standing) {
      const r = acc.get(id)!;
      r.rel += (bs - m) * (b - a);
      r.own += bs * (b - a);
      r.covered += b - a;
    }
  }
  return acc;
}

describe('brier, logScore, normalisedLogScore, updateValue', () => {
  it('known values', () => {
    // python3 -c "print(sum((p-o)**2 for p,o in zip([.7,.2,.1],[1,0,0])))" -> 0.14000000000000004
    close(brier([0.7, 0.2, 0.1], 0), 0.14000000000000004);
    assert.equal(brier([0, 1], 0), 2);
    // python3 -c "import math; print(math.log(.2), math.log(.001))"
    close(logScore([0.7, 0.2, 0.1], 1), -1.6094379124341003);
    close(logScore([1, 0], 1), -6.907755278982137);
    // python3 -c "import math; print(100*math.log(3*.7)/math.log(3), 100*math.log(2*.001)/math.log(2))"
    close(normalisedLogScore([0.7, 0.2, 0.1], 0), 67.53404748720374, 1e-10);
    close(normalisedLogScore([1, 0], 1), -896.5784284662087, 1e-9);
    close(normalisedLogScore([0.25, 0.25, 0.25, 0.25], 2), 0);
    // brier before 0.5, after 0.08 (outcome 0) -> value 0.42
    close(updateValue([0.5, 0.5], [0.8, 0.2], 0), 0.42);
  });
  it('property: a perfect forecast scores Brier 0; Brier is in [0, 2]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: 0, max: k - 1 }), vectorArb(k))),
        ([k, o, p]) => {
          const perfect = Array.from({ length: k }, (_, j) => (j === o ? 1 : 0));
          assert.equal(brier(perfect, o), 0);
          const b = brier(p, o);
          assert.ok(b >= 0 && b <= 2 + 1e-12);
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('brier', () => brier([0.2, 0.3, 0.5], 3), /outcome 3 is outside 0..2/);
    throwsNamed('brier', () => brier([0.2, 0.3, 0.5], -1), /outside/);
    throwsNamed('brier', () => brier([0.2, 0.3, 0.5], 1.5), /outside/);
    throwsNamed('brier', () => brier([], 0), /empty/);
    throwsNamed('brier', () => brier([0.5, NaN], 0), /NaN/);
    throwsNamed('brier', () => brier([50, 50], 0), /outside/);
    throwsNamed('logScore', () => logScore([0.5, 0.5], 2), /outside/);
    throwsNamed('normalisedLogScore', () => normalisedLogScore([0.5, 0.5], 9), /outside/);
    throwsNamed('updateValue', () => updateValue([0.5, 0.5], [0.2, 0.3, 0.5], 0), /different lengths/);
    throwsNamed('updateValue', () => updateValue([0.5, 0.5], [0.5, 0.5], 5), /outside/);
  });
});

describe('timeAveragedBrier and scoreSeries', () => {
  const window = { start: 0, end: 100 };
  it('known values: exact integral of the step function', () => {
    const history: ForecastStep[] = [
      { time: -10, probabilities: [0.5, 0.5] }, // stands from 0: B 0.5 for 20
      { time: 20, probabilities: [0.8, 0.2] }, // B 0.08 for 40
      { time: 60, probabilities: [0.3, 0.7] }, // B 0.98 for 40
      { time: 150, probabilities: [1, 0] }, // after the end: ignored
    ];
    // python3 -c "print((.5*20+.08*40+.98*40)/100)" -> 0.524
    const r = timeAveragedBrier(history, window, 0);
    close(r.score as number, 0.524);
    assert.equal(r.coverage, 1);
    assert.equal(r.coveredTime, 100);
    const late = timeAveragedBrier([{ time: 40, probabilities: [0.8, 0.2] }], window, 0);
    close(late.score as number, 0.08);
    assert.equal(late.coverage, 0.6);
    assert.deepEqual(timeAveragedBrier([], window, 0), { score: null, coverage: 0, coveredTime: 0 });
    assert.deepEqual(timeAveragedBrier([{ time: 100, probabilities: [0.5, 0.5] }], window, 0), {
      score: null,
      coverage: 0,
      coveredTime: 0,
    });
    assert.deepEqual(scoreSeries(history, window, 0), r);
  });
  it('scores an aggregate series', () => {
    const series = aggregateSeries(
      [
        { forecasterId: 'a', time: 0, probabilities: [0.6, 0.4] },
        { forecasterId: 'b', time: 50, probabilities: [0.2, 0.8] },
      ],
      { method: 'linear', weighting: 'uniform' },
    );
    // 0..50: [0.6, 0.4] B 0.32; 50..100: [0.4, 0.6] B 0.72 -> 0.52
    close(scoreSeries(series, window, 0).score as number, 0.52);
  });
  it('property: the time-averaged Brier of a constant forecast equals its Brier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((k) => fc.tuple(vectorArb(k), fc.integer({ min: 0, max: k - 1 }))),
        fc.array(fc.integer({ min: -50, max: 150 }), { minLength: 1, maxLength: 8 }),
        ([p, o], times) => {
          const history = [...times].sort((a, b) => a - b).map((time) => ({ time, probabilities: p }));
          const r = timeAveragedBrier(history, window, o);
          if (r.score !== null) close(r.score, brier(p, o), 1e-12);
          const first = Math.max(0, history[0]!.time);
          close(r.coverage, Math.max(0, 100 - first) / 100, 1e-12);
        },
      ),
    );
  });
  it('guards', () => {
    const a = { time: 5, probabilities: [0.5, 0.5] };
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([a, { ...a, time: 4 }], window, 0), /out of time order/);
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([a], { start: 10, end: 10 }, 0), /positive length/);
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([a], { start: NaN, end: 10 }, 0), /NaN/);
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([a], window, 2), /outside 0..1/);
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([a, { time: 6, probabilities: [0.2, 0.2, 0.6] }], window, 0), /different lengths/);
    throwsNamed('timeAveragedBrier', () => timeAveragedBrier([{ time: 1, probabilities: [NaN, 0.5] }], window, 0), /NaN/);
    throwsNamed('scoreSeries', () => scoreSeries([a, { ...a, time: 1 }], window, 0), /out of time order/);
    throwsNamed('scoreSeries', () => scoreSeries([a], window, 7), /outside/);
  });
});

describe('relativeBrier', () => {
  const window = { start: 0, end: 100 };
  it('known values: against the median of those standing', () => {
    const histories = new Map<string, ForecastStep[]>([
      ['A', [{ time: 0, probabilities: [0.8, 0.2] }]],
      [
        'B',
        [
          { time: 0, probabilities: [0.5, 0.5] },
          { time: 50, probabilities: [0.9, 0.1] },
        ],
      ],
      ['C', [{ time: 20, probabilities: [0.2, 0.8] }]],
      ['D', [{ time: 200, probabilities: [0.5, 0.5] }]],
      ['E', []],
    ]);
    // python3 -c "
    // import statistics as st
    // H={'A':[(0,.08)],'B':[(0,.5),(50,.02)],'C':[(20,1.28)]}; pts=[0,20,50,100]; acc={k:0 for k in H}; cov={k:0 for k in H}
    // for a,b in zip(pts,pts[1:]):
    //   cur={k:[x for t,x in h if t<=a][-1] for k,h in H.items() if h[0][0]<=a}; m=st.median(cur.values())
    //   for k,x in cur.items(): acc[k]+=(x-m)*(b-a); cov[k]+=b-a
    // print({k:acc[k]/cov[k] for k in H})"  -> {'A': -0.168, 'B': 0.012, 'C': 1.0425}
    const r = relativeBrier(histories, window, 0);
    close(r.get('A')!.relativeBrier as number, -0.168);
    close(r.get('B')!.relativeBrier as number, 0.012);
    close(r.get('C')!.relativeBrier as number, 1.0425);
    assert.equal(r.get('C')!.coverage, 0.8);
    close(r.get('C')!.timeAveragedBrier as number, 1.28);
    assert.deepEqual(r.get('D'), { relativeBrier: null, timeAveragedBrier: null, coverage: 0 });
    assert.deepEqual(r.get('E'), { relativeBrier: null, timeAveragedBrier: null, coverage: 0 });
    assert.equal(relativeBrier(new Map(), window, 0).size, 0);
  });
  it('property: matches a naive interval-by-interval computation and timeAveragedBrier', () => {
    fc.assert(
      fc.property(historiesArb, ([, raw, outcome]) => {
        const histories = toHistories(raw);
        const fast = relativeBrier(histories, window, outcome);
        const slow = naiveRelative(histories, 0, 100, outcome);
        for (const [id, h] of histories) {
          const f = fast.get(id)!;
          const s = slow.get(id)!;
          const t = timeAveragedBrier(h, window, outcome);
          close(f.coverage, s.covered / 100, 1e-12);
          close(f.coverage, t.coverage, 1e-12);
          if (s.covered === 0) {
            assert.equal(f.relativeBrier, null);
            continue;
          }
          close(f.relativeBrier as number, s.rel / s.covered, 1e-9);
          close(f.timeAveragedBrier as number, s.own / s.covered, 1e-9);
          close(f.timeAveragedBrier as number, t.score as number, 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('property: forecasters who always agree with everyone score relative Brier 0', () => {
    fc.assert(
      fc.property(historiesArb, fc.integer({ min: 1, max: 6 }), ([, raw, outcome], copies) => {
        const shared = toHistories(raw.slice(0, 1)).get('f0')!;
        const histories = new Map(Array.from({ length: copies }, (_, i) => [`c${i}`, shared] as [string, ForecastStep[]]));
        for (const r of relativeBrier(histories, window, outcome).values()) {
          if (r.relativeBrier !== null) close(r.relativeBrier, 0, 1e-12);
        }
      }),
    );
  });
  it('guards', () => {
    const a = { time: 5, probabilities: [0.5, 0.5] };
    throwsNamed('relativeBrier', () => relativeBrier(new Map([['x', [a, { ...a, time: 1 }]]]), window, 0), /"x" is out of time order/);
    throwsNamed(
      'relativeBrier',
      () =>
        relativeBrier(
          new Map([
            ['x', [a]],
            ['y', [{ time: 1, probabilities: [0.2, 0.2, 0.6] }]],
          ]),
          window,
          0,
        ),
      /different lengths/,
    );
    throwsNamed('relativeBrier', () => relativeBrier(new Map([['x', [a]]]), window, 2), /outside/);
    throwsNamed('relativeBrier', () => relativeBrier(new Map([['x', [a]]]), { start: 5, end: 0 }, 0), /positive length/);
    throwsNamed('relativeBrier', () => relativeBrier(new Map([['x', [{ time: 1, probabilities: [0.5, NaN] }]]]), window, 0), /NaN/);
  });
});
