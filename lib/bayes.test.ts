import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, close, closeVec, sum } from './test-assert';
import fc from 'fast-check';
import {
  COHERENCE_TOLERANCE,
  DIAGNOSTICITY_THRESHOLD,
  coherence,
  diagnosticity,
  pooledLikelihoods,
  posterior,
  posteriorUnobserved,
  sequentialPosterior,
} from './bayes';

const priorArb = fc.integer({ min: 2, max: 6 }).chain((k) =>
  fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: k, maxLength: k }).map((raw) => raw.map((x) => x / sum(raw))),
);
const likelihoodsArb = (k: number) => fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: k, maxLength: k });

describe('posterior and posteriorUnobserved', () => {
  it('known values', () => {
    // python3 -c "j=[.5*.9,.3*.5,.2*.1]; print([x/sum(j) for x in j])"
    closeVec(posterior([0.5, 0.3, 0.2], [0.9, 0.5, 0.1]), [0.7258064516129032, 0.24193548387096772, 0.03225806451612904]);
    // python3 -c "j=[.5*.1,.3*.5,.2*.9]; print([x/sum(j) for x in j])"
    closeVec(
      posteriorUnobserved([0.5, 0.3, 0.2], [0.9, 0.5, 0.1]),
      [0.13157894736842105, 0.39473684210526316, 0.4736842105263158],
    );
    closeVec(posterior([0.5, 0.5], [0.8, 0.4]), [2 / 3, 1 / 3]);
    // a zero likelihood rules a scenario out
    closeVec(posterior([0.5, 0.5], [0, 0.4]), [0, 1]);
  });
  it('property: a flat likelihood leaves the prior unchanged', () => {
    fc.assert(
      fc.property(priorArb, fc.double({ min: 0.001, max: 1, noNaN: true }), (prior, c) => {
        closeVec(posterior(prior, prior.map(() => c)), prior, 1e-12);
        if (c < 1) closeVec(posteriorUnobserved(prior, prior.map(() => c)), prior, 1e-12);
      }),
    );
  });
  it('property: the posterior lies on the simplex', () => {
    fc.assert(
      fc.property(
        priorArb.chain((p) => fc.tuple(fc.constant(p), likelihoodsArb(p.length))),
        ([prior, l]) => {
          const q = posterior(prior, l);
          close(sum(q), 1, 1e-12);
          for (const x of q) assert.ok(x >= 0 && x <= 1);
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('posterior', () => posterior([], []), /empty/);
    throwsNamed('posterior', () => posterior([0.5, 0.5], [0.5]), /different lengths/);
    throwsNamed('posterior', () => posterior([0.5, 0.5], [0.5, NaN]), /NaN/);
    throwsNamed('posterior', () => posterior([0.5, 0.5], [0.5, 1.2]), /outside/);
    throwsNamed('posterior', () => posterior([0.5, 0.5], [0, 0]), /all zero/);
    throwsNamed('posterior', () => posterior([1, 0], [0, 0.5]), /probability 0 under the prior/);
    throwsNamed('posterior', () => posterior([0.5, 0.6], [0.5, 0.5]), /sum to/);
    throwsNamed('posteriorUnobserved', () => posteriorUnobserved([0.5, 0.5], [1, 1]), /all zero/);
    throwsNamed('posteriorUnobserved', () => posteriorUnobserved([0.5, 0.5], [1]), /different lengths/);
  });
});

describe('sequentialPosterior', () => {
  it('known value: observed then not observed', () => {
    // python3 -c "j=[.5*.9*.7,.3*.5*.4,.2*.1*.2]; print([x/sum(j) for x in j])"
    closeVec(
      sequentialPosterior(
        [0.5, 0.3, 0.2],
        [
          { likelihoods: [0.9, 0.5, 0.1], observed: true },
          { likelihoods: [0.3, 0.6, 0.8], observed: false },
        ],
      ),
      [0.8311345646437994, 0.15831134564643798, 0.010554089709762536],
    );
    assert.deepEqual(sequentialPosterior([0.25, 0.75], []), [0.25, 0.75]);
  });
  it('works in log space: 200 events of likelihood 0.001 do not underflow', () => {
    const events = Array.from({ length: 200 }, () => ({ likelihoods: [0.001, 1], observed: true }));
    // scenario 0 is 1e-600 times less likely, but the last event rules scenario 1 out
    const q = sequentialPosterior([0.5, 0.5], [...events, { likelihoods: [1, 0], observed: true }]);
    assert.deepEqual(q, [1, 0]);
  });
  it('property: independent updates commute and match repeated posterior()', () => {
    fc.assert(
      fc.property(
        priorArb.chain((p) =>
          fc.tuple(fc.constant(p), likelihoodsArb(p.length), likelihoodsArb(p.length), fc.boolean(), fc.boolean()),
        ),
        ([prior, l1, l2, o1, o2]) => {
          const e1 = { likelihoods: l1, observed: o1 };
          const e2 = { likelihoods: l2, observed: o2 };
          if (!o1 && l1.every((x) => x === 1)) return;
          if (!o2 && l2.every((x) => x === 1)) return;
          const ab = sequentialPosterior(prior, [e1, e2]);
          const ba = sequentialPosterior(prior, [e2, e1]);
          closeVec(ab, ba, 1e-12);
          const step = (p: number[], e: typeof e1) => (e.observed ? posterior(p, e.likelihoods) : posteriorUnobserved(p, e.likelihoods));
          closeVec(ab, step(step(prior, e1), e2), 1e-12);
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('sequentialPosterior', () => sequentialPosterior([], []), /empty/);
    throwsNamed('sequentialPosterior', () => sequentialPosterior([0.5, 0.5], [{ likelihoods: [0.5], observed: true }]), /different lengths/);
    throwsNamed(
      'sequentialPosterior',
      () => sequentialPosterior([0.5, 0.5], [{ likelihoods: [0, 0], observed: true }]),
      /events\[0\]: likelihoods are all zero/,
    );
    throwsNamed(
      'sequentialPosterior',
      () =>
        sequentialPosterior(
          [0.5, 0.5],
          [
            { likelihoods: [0, 1], observed: true },
            { likelihoods: [1, 0], observed: true },
          ],
        ),
      /events\[1\] has probability 0/,
    );
    throwsNamed(
      'sequentialPosterior',
      () => sequentialPosterior([0.5, 0.5], [{ likelihoods: [0.5, 0.5], observed: 'yes' as never }]),
      /boolean/,
    );
  });
});

describe('diagnosticity', () => {
  it('known values', () => {
    // python3 -c "import math; print(math.log(9))" -> 2.1972245773362196
    const d = diagnosticity([0.9, 0.5, 0.1]);
    close(d.ratio, 9);
    close(d.logRatio, 2.1972245773362196);
    assert.equal(d.informative, true);
    assert.deepEqual(diagnosticity([0.5, 0.5]), { ratio: 1, logRatio: 0, informative: false });
    assert.equal(diagnosticity([0.5, 0.4]).informative, false); // 1.25 < 1.5
    assert.equal(DIAGNOSTICITY_THRESHOLD, 1.5);
    assert.deepEqual(diagnosticity([0.5, 0]), { ratio: Infinity, logRatio: Infinity, informative: true });
  });
  it('guards', () => {
    throwsNamed('diagnosticity', () => diagnosticity([0, 0]), /all zero/);
    throwsNamed('diagnosticity', () => diagnosticity([]), /empty/);
    throwsNamed('diagnosticity', () => diagnosticity([0.5]), /at least 2/);
    throwsNamed('diagnosticity', () => diagnosticity([0.5, NaN]), /NaN/);
  });
});

describe('pooledLikelihoods', () => {
  it('geometric mean per scenario; a zero vetoes', () => {
    // python3 -c "print(0.08**(1/3))" -> 0.4308869380063768  (0.8 * 0.2 * 0.5 = 0.08)
    const l = pooledLikelihoods([
      [0.8, 0.2],
      [0.2, 0.8],
      [0.5, 0],
    ]);
    close(l[0] as number, 0.4308869380063768);
    assert.equal(l[1], 0);
  });
  it('guards', () => {
    throwsNamed('pooledLikelihoods', () => pooledLikelihoods([]), /empty/);
    throwsNamed('pooledLikelihoods', () => pooledLikelihoods([[0.5, 0.5], [0.5]]), /different lengths/);
    throwsNamed('pooledLikelihoods', () => pooledLikelihoods([[0.5, 2]]), /outside/);
  });
});

describe('coherence', () => {
  it('two scenarios: reaction is the ratio of log-odds moves', () => {
    // implied [2/3, 1/3]; python3 -c "import math; print(math.log(1.5)/math.log(2))" -> 0.5849625007211562
    const c = coherence([0.5, 0.5], [0.8, 0.4], [0.6, 0.4]);
    closeVec(c.implied, [2 / 3, 1 / 3]);
    close(c.reaction, 0.5849625007211562);
    close(c.probabilityReaction, 0.6); // 0.1 / (1/6)
    close(c.distance, 2 / 3 - 0.6);
    assert.equal(c.verdict, 'under-reaction');
    close(c.scenarios[0]!.actualShift, 0.1);
    close(c.scenarios[0]!.impliedShift, 1 / 6);
    // python3 -c "import math; print(math.log(9)/math.log(2))" -> 3.1699250014423126
    const over = coherence([0.5, 0.5], [0.8, 0.4], [0.9, 0.1]);
    close(over.reaction, 3.1699250014423126);
    assert.equal(over.verdict, 'over-reaction');
    assert.equal(coherence([0.5, 0.5], [0.8, 0.4], [0.4, 0.6]).verdict, 'opposite');
    assert.equal(coherence([0.5, 0.5], [0.8, 0.4], [0.65, 0.35]).verdict, 'coherent');
    const flat = coherence([0.5, 0.5], [0.3, 0.3], [0.7, 0.3]);
    assert.equal(flat.verdict, 'no-evidence');
    assert.equal(flat.reaction, 0);
    assert.equal(flat.probabilityReaction, 0);
    close(flat.distance, 0.2);
    // a tiny implied move (0.4 points) is still 'no-evidence', with reaction 0
    const tiny = coherence([0.3, 0.3, 0.4], [0.5, 0.51, 0.5], [0.2, 0.4, 0.4]);
    assert.equal(tiny.verdict, 'no-evidence');
    assert.equal(tiny.reaction, 0);
    assert.equal(COHERENCE_TOLERANCE, 0.25);
  });
  it('three scenarios: projection in centred log-ratio space', () => {
    // python3: clr(v) = ln v - mean ln v (v clamped to [.001,.999], renormalised);
    // a = clr(s)-clr(p), b = clr(q)-clr(p); print(sum(a*b)/sum(b*b)) -> 0.40526988842681433
    // probability form: sum((s-p)*(q-p))/sum((q-p)^2) -> 0.4770433905146316; TV(s, q) -> 0.12580645161290327
    const c = coherence([0.5, 0.3, 0.2], [0.9, 0.5, 0.1], [0.6, 0.3, 0.1]);
    close(c.reaction, 0.40526988842681433, 1e-12);
    close(c.probabilityReaction, 0.4770433905146316, 1e-12);
    close(c.distance, 0.12580645161290327, 1e-12);
    assert.equal(c.verdict, 'under-reaction');
  });
  it('property: submitting the implied posterior is coherent with reaction 1 and distance 0', () => {
    fc.assert(
      fc.property(
        priorArb.chain((p) => fc.tuple(fc.constant(p), likelihoodsArb(p.length))),
        ([prior, l]) => {
          const q = posterior(prior, l);
          const c = coherence(prior, l, q);
          close(c.distance, 0, 1e-12);
          if (c.verdict !== 'no-evidence') {
            assert.equal(c.verdict, 'coherent');
            close(c.reaction, 1, 1e-9);
          }
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('coherence', () => coherence([0.5, 0.5], [0, 0], [0.5, 0.5]), /all zero/);
    throwsNamed('coherence', () => coherence([0.5, 0.5], [0.5, 0.5], [0.2, 0.3, 0.5]), /different lengths/);
    throwsNamed('coherence', () => coherence([0.5, 0.5], [0.5, 0.5], [0.5, NaN]), /NaN/);
    throwsNamed('coherence', () => coherence([], [], []), /empty/);
  });
});
