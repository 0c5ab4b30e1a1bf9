import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, close } from './test-assert';
import fc from 'fast-check';
import { type ForecastPair, Z_95, calibrationBins, forecastPairs, murphyDecomposition, wilsonInterval } from './calibration';
import { brier } from './scoring';

// python3 one-liner used for the Wilson values below:
// python3 -c "
// import math; z=1.959963984540054
// def w(x,n):
//   p=x/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z/d*math.sqrt(p*(1-p)/n+z*z/(4*n*n)); return c-h,c+h
// print(w(3,10), w(0,5), w(2,2))"
// -> (0.10779126740630099, 0.6032218525388546) (0.0, 0.43448246478317476) (0.34238022750665303, 1.0)

describe('wilsonInterval', () => {
  it('known values', () => {
    assert.equal(Z_95, 1.959963984540054);
    const a = wilsonInterval(3, 10);
    close(a.low, 0.10779126740630099);
    close(a.high, 0.6032218525388546);
    const b = wilsonInterval(0, 5);
    close(b.low, 0);
    close(b.high, 0.43448246478317476);
    const c = wilsonInterval(2, 2);
    close(c.low, 0.34238022750665303);
    close(c.high, 1);
  });
  it('guards', () => {
    throwsNamed('wilsonInterval', () => wilsonInterval(1, 0), /positive integer/);
    throwsNamed('wilsonInterval', () => wilsonInterval(4, 3), /0..3/);
    throwsNamed('wilsonInterval', () => wilsonInterval(1, 3, -1), /positive/);
  });
});

describe('calibrationBins', () => {
  it('known values', () => {
    const bins = calibrationBins([
      { probability: 0.05, outcome: 0 },
      { probability: 0.08, outcome: 1 },
      { probability: 0.15, outcome: 0 },
      { probability: 0.95, outcome: 1 },
      { probability: 1, outcome: 1 },
    ]);
    assert.equal(bins.length, 10);
    assert.equal(bins[0]!.count, 2);
    close(bins[0]!.meanForecast as number, 0.065);
    assert.equal(bins[0]!.observedFrequency, 0.5);
    assert.equal(bins[1]!.count, 1);
    assert.equal(bins[9]!.count, 2); // 1 falls in the last, closed bin
    close(bins[9]!.meanForecast as number, 0.975);
    assert.equal(bins[9]!.observedFrequency, 1);
    assert.deepEqual(bins[5], {
      lower: 0.5,
      upper: 0.6,
      count: 0,
      meanForecast: null,
      observedFrequency: null,
      wilsonLow: null,
      wilsonHigh: null,
    });
    close(bins[1]!.lower, 0.1);
    close(bins[1]!.upper, 0.2);
  });
  it('bin edges: i/B goes to bin i', () => {
    for (const b of [3, 7, 10, 20]) {
      for (let i = 0; i < b; i++) {
        const bins = calibrationBins([{ probability: i / b, outcome: 0 }], b);
        assert.equal(bins[i]!.count, 1, `p = ${i}/${b}`);
      }
    }
  });
  it('empty input gives empty bins', () => {
    assert.ok(calibrationBins([], 4).every((b) => b.count === 0 && b.meanForecast === null));
  });
  it('property: counts add up and every frequency lies within its Wilson interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), outcome: fc.constantFrom<0 | 1>(0, 1) })),
        fc.integer({ min: 1, max: 20 }),
        (pairs, b) => {
          const bins = calibrationBins(pairs, b);
          assert.equal(
            bins.reduce((s, x) => s + x.count, 0),
            pairs.length,
          );
          for (const bin of bins) {
            if (bin.count === 0) continue;
            assert.ok((bin.meanForecast as number) >= bin.lower - 1e-12 && (bin.meanForecast as number) <= bin.upper + 1e-12);
            assert.ok((bin.wilsonLow as number) <= (bin.observedFrequency as number) + 1e-12);
            assert.ok((bin.wilsonHigh as number) >= (bin.observedFrequency as number) - 1e-12);
          }
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('calibrationBins', () => calibrationBins([{ probability: NaN, outcome: 0 }]), /NaN/);
    throwsNamed('calibrationBins', () => calibrationBins([{ probability: 1.2, outcome: 0 }]), /outside/);
    throwsNamed('calibrationBins', () => calibrationBins([{ probability: 0.2, outcome: 2 as 0 }]), /not 0 or 1/);
    throwsNamed('calibrationBins', () => calibrationBins([], 0), /positive integer/);
  });
});

describe('forecastPairs', () => {
  it('splits a K-vector into K binary events', () => {
    assert.deepEqual(forecastPairs([0.7, 0.2, 0.1], 1), [
      { probability: 0.7, outcome: 0 },
      { probability: 0.2, outcome: 1 },
      { probability: 0.1, outcome: 0 },
    ]);
  });
  it('guards', () => {
    throwsNamed('forecastPairs', () => forecastPairs([0.5, 0.5], 2), /outside/);
    throwsNamed('forecastPairs', () => forecastPairs([0.5, 0.6], 0), /sum to/);
  });
});

describe('murphyDecomposition', () => {
  it('known values, forecasts on bin values: the identity is exact', () => {
    // python3 -c "
    // P=[(.2,0),(.2,0),(.2,1),(.8,1),(.8,1),(.8,0),(.8,1)]; N=len(P); b=sum(o for f,o in P)/N
    // rel=(3*(.2-1/3)**2+4*(.8-.75)**2)/N; res=(3*(1/3-b)**2+4*(.75-b)**2)/N; unc=b*(1-b); bs=sum((f-o)**2 for f,o in P)/N
    // print(rel,res,unc,bs,rel-res+unc)"
    // -> 0.009047619047619049 0.042517006802721094 0.24489795918367346 0.2114285714285715 0.2114285714285714
    const pairs: ForecastPair[] = [
      { probability: 0.2, outcome: 0 },
      { probability: 0.2, outcome: 0 },
      { probability: 0.2, outcome: 1 },
      { probability: 0.8, outcome: 1 },
      { probability: 0.8, outcome: 1 },
      { probability: 0.8, outcome: 0 },
      { probability: 0.8, outcome: 1 },
    ];
    const m = murphyDecomposition(pairs);
    close(m.reliability, 0.009047619047619049);
    close(m.resolution, 0.042517006802721094);
    close(m.uncertainty, 0.24489795918367346);
    close(m.brier, 0.2114285714285715);
    close(m.residual, 0, 1e-15);
  });
  it('known values, forecasts spread within bins: the identity is only approximate', () => {
    // python3 -c "
    // P=[(.12,0),(.18,1),(.85,1),(.75,0)]; N=4; b=.5
    // rel=(2*(.15-.5)**2+(0.85-1)**2+(.75-0)**2)/N; res=(2*0+.25+.25)/N; bs=sum((f-o)**2 for f,o in P)/N
    // print(rel,res,.25,bs,bs-(rel-res+.25))"  -> 0.2075 0.125 0.25 0.31795 -0.01455
    const m = murphyDecomposition([
      { probability: 0.12, outcome: 0 },
      { probability: 0.18, outcome: 1 },
      { probability: 0.85, outcome: 1 },
      { probability: 0.75, outcome: 0 },
    ]);
    close(m.reliability, 0.2075);
    close(m.resolution, 0.125);
    close(m.uncertainty, 0.25);
    close(m.brier, 0.31795);
    close(m.residual, -0.01455, 1e-12);
  });
  it('property: BS = REL - RES + UNC exactly when every forecast sits on a bin value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).chain((b) =>
          fc.tuple(
            fc.constant(b),
            fc.array(fc.record({ bin: fc.integer({ min: 0, max: b - 1 }), outcome: fc.constantFrom<0 | 1>(0, 1) }), {
              minLength: 1,
            }),
          ),
        ),
        ([b, raw]) => {
          // one value per bin (its centre), so all forecasts in a bin are equal
          const pairs = raw.map((r) => ({ probability: (r.bin + 0.5) / b, outcome: r.outcome }));
          const m = murphyDecomposition(pairs, b);
          close(m.brier, m.reliability - m.resolution + m.uncertainty, 1e-12);
          assert.ok(m.reliability >= 0 && m.resolution >= 0);
        },
      ),
    );
  });
  it('property: brier is the mean binary Brier, 1/K of the multi-category Brier per forecast', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.nat(),
        (raw, o) => {
          const s = raw.reduce((a, x) => a + x, 0);
          const p = raw.map((x) => x / s);
          const outcome = o % p.length;
          const m = murphyDecomposition(forecastPairs(p, outcome));
          close(m.brier, brier(p, outcome) / p.length, 1e-12);
        },
      ),
    );
  });
  it('guards', () => {
    throwsNamed('murphyDecomposition', () => murphyDecomposition([]), /empty/);
    throwsNamed('murphyDecomposition', () => murphyDecomposition([{ probability: -0.1, outcome: 0 }]), /outside/);
    throwsNamed('murphyDecomposition', () => murphyDecomposition([{ probability: 0.1, outcome: 0 }], 2.5), /positive integer/);
  });
});
