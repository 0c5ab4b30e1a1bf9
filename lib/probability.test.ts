import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close } from './test-assert';
import fc from 'fast-check';
import {
  INPUT_MAX_PERCENT,
  INPUT_MIN_PERCENT,
  MAX_PROBABILITY,
  MIN_PROBABILITY,
  TOTAL_TOLERANCE_POINTS,
  checkPercentVector,
  clampProbability,
  clampVector,
  fromLogOdds,
  fromOdds,
  fromPercent,
  normalise,
  parseProbabilityText,
  toLogOdds,
  toOdds,
  toPercent,
} from './probability';
import { MathInputError } from './math-errors';

/** Asserts that `f` throws a MathInputError whose message starts with `fnName: ` and matches `pattern`. */
function throwsNamed(fnName: string, f: () => unknown, pattern?: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof MathInputError, `expected MathInputError, got ${String(e)}`);
    assert.equal(e.name, 'MathInputError');
    assert.ok(e.message.startsWith(`${fnName}: `), `message "${e.message}" should start with "${fnName}: "`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('constants', () => {
  it('match docs/formulas.md#constants', () => {
    assert.equal(MIN_PROBABILITY, 0.001);
    assert.equal(MAX_PROBABILITY, 0.999);
    assert.equal(INPUT_MIN_PERCENT, 0.1);
    assert.equal(INPUT_MAX_PERCENT, 99.9);
    assert.equal(TOTAL_TOLERANCE_POINTS, 0.5);
  });
});

describe('checkPercentVector', () => {
  it('accepts a valid vector and renormalises it', () => {
    // python3 -c "print(60/100.4, 30/100.4, 1-60/100.4-30/100.4)"
    // 0.597609561752988 0.298804780876494 0.10358565737051806
    const r = checkPercentVector([60, 30, 10.4], 3);
    assert.ok(r.ok);
    close(r.probabilities[0] as number, 0.597609561752988);
    close(r.probabilities[1] as number, 0.298804780876494);
    close(r.probabilities[2] as number, 0.10358565737051806);
  });
  it('accepts the boundaries 99.5 and 100.5 and the extremes 0.1 and 99.9', () => {
    assert.ok(checkPercentVector([49.75, 49.75], 2).ok);
    assert.ok(checkPercentVector([50.25, 50.25], 2).ok);
    assert.ok(checkPercentVector([0.1, 99.9], 2).ok);
    assert.ok(checkPercentVector([33.3, 33.3, 33.3], 3).ok);
  });
  it('refuses the wrong count', () => {
    const r = checkPercentVector([50, 50, 0], 4);
    assert.deepEqual(r, { ok: false, message: 'expected 4 values, got 3' });
  });
  it('refuses a non-number with its 1-based position', () => {
    const r = checkPercentVector([NaN, 50], 2);
    assert.deepEqual(r, { ok: false, message: 'value 1 is not a number', index: 0 });
    const s = checkPercentVector([50, Infinity], 2);
    assert.deepEqual(s, { ok: false, message: 'value 2 is not a number', index: 1 });
  });
  it('refuses a value out of range', () => {
    const r = checkPercentVector([-20, 120], 2);
    assert.deepEqual(r, {
      ok: false,
      message: 'value 1 is -20%: each value must be between 0.1% and 99.9%',
      index: 0,
    });
    const s = checkPercentVector([0, 100], 2);
    assert.equal(s.ok, false);
    const t = checkPercentVector([30, 120, 0.5], 3);
    assert.deepEqual(t, { ok: false, message: 'value 2 is 120%: each value must be between 0.1% and 99.9%', index: 1 });
  });
  it('refuses a total away from 100', () => {
    assert.deepEqual(checkPercentVector([50, 40], 2), {
      ok: false,
      message: 'the values total 90%: they must total 100% (± 0.5 points)',
    });
    assert.equal(checkPercentVector([50, 50.6], 2).ok, false);
    assert.equal(checkPercentVector([49.7, 49.7], 2).ok, false);
  });
  it('throws only for k < 2', () => {
    throwsNamed('checkPercentVector', () => checkPercentVector([100], 1), /k must be an integer >= 2/);
    throwsNamed('checkPercentVector', () => checkPercentVector([50, 50], 2.5));
  });
  it('property: accepted vectors sum to 1 within 1e-12 and keep their proportions', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 2, maxLength: 12 }), (raw) => {
        const total = raw.reduce((a, b) => a + b, 0);
        const percents = raw.map((x) => (x / total) * 100);
        const r = checkPercentVector(percents, percents.length);
        if (percents.some((x) => x < 0.1 || x > 99.9)) return;
        assert.ok(r.ok);
        close(r.probabilities.reduce((a, b) => a + b, 0), 1, 1e-12);
        r.probabilities.forEach((p, i) => close(p, (percents[i] as number) / 100, 1e-9));
      }),
    );
  });
});

describe('normalise', () => {
  it('divides by the total', () => {
    assert.deepEqual(normalise([1, 3]), [0.25, 0.75]);
  });
  it('guards', () => {
    throwsNamed('normalise', () => normalise([]), /empty/);
    throwsNamed('normalise', () => normalise([0, 0]), /all zero/);
    throwsNamed('normalise', () => normalise([1, NaN]), /values\[1\] is not a finite number \(NaN\)/);
    throwsNamed('normalise', () => normalise([1, -1]), /outside/);
  });
});

describe('clampProbability and clampVector', () => {
  it('clamps to [0.001, 0.999]', () => {
    assert.equal(clampProbability(0), 0.001);
    assert.equal(clampProbability(1), 0.999);
    assert.equal(clampProbability(0.3), 0.3);
  });
  it('clampVector clamps then renormalises', () => {
    // python3 -c "print(0.001/1.001, 0.999/1.001)" -> [0,0,1] clamps to .001,.001,.999 (sum 1.001)
    const v = clampVector([0, 0, 1]);
    close(v[0] as number, 0.001 / 1.001);
    close(v[2] as number, 0.999 / 1.001);
    close(v.reduce((a, b) => a + b, 0), 1);
    assert.deepEqual(clampVector([0, 1]), [0.001, 0.999]);
  });
  it('guards', () => {
    throwsNamed('clampProbability', () => clampProbability(NaN), /NaN/);
    throwsNamed('clampProbability', () => clampProbability(1.5), /outside 0..1/);
    throwsNamed('clampVector', () => clampVector([]), /empty/);
    throwsNamed('clampVector', () => clampVector([0.5, 2]), /outside/);
  });
});

describe('odds, log-odds and percent', () => {
  it('known values', () => {
    // python3 -c "print(0.8/0.2, 3/4)" -> 4.0 0.75
    close(toOdds(0.8), 4);
    assert.equal(toOdds(1), Infinity);
    close(fromOdds(3), 0.75);
    assert.equal(fromOdds(Infinity), 1);
    // python3 -c "import math; print(math.log(4))" -> 1.3862943611198906
    close(toLogOdds(0.8), 1.3862943611198906);
    assert.equal(toLogOdds(0), -Infinity);
    assert.equal(toLogOdds(1), Infinity);
    // python3 -c "import math; print(1/(1+math.exp(2)))" -> 0.11920292202211755
    close(fromLogOdds(-2), 0.11920292202211755);
    assert.equal(fromLogOdds(1000), 1);
    assert.equal(fromLogOdds(-1000), 0);
    assert.equal(fromLogOdds(-Infinity), 0);
    assert.equal(toPercent(0.25), 25);
    assert.equal(fromPercent(25), 0.25);
  });
  it('property: log-odds round-trips', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (p) => {
        close(fromLogOdds(toLogOdds(p)), p, 1e-12);
        close(fromOdds(toOdds(p)), p, 1e-12);
      }),
    );
  });
  it('guards', () => {
    throwsNamed('toOdds', () => toOdds(-0.1));
    throwsNamed('fromOdds', () => fromOdds(-1), /negative/);
    throwsNamed('fromOdds', () => fromOdds(NaN), /NaN/);
    throwsNamed('toLogOdds', () => toLogOdds(NaN), /NaN/);
    throwsNamed('fromLogOdds', () => fromLogOdds(NaN), /NaN/);
    throwsNamed('toPercent', () => toPercent(2));
    throwsNamed('fromPercent', () => fromPercent(101));
    throwsNamed('fromPercent', () => fromPercent(Infinity));
  });
});

describe('parseProbabilityText', () => {
  it('reads percent, fractions, odds and ratios', () => {
    assert.equal(parseProbabilityText('25%'), 0.25);
    assert.equal(parseProbabilityText(' 25 % '), 0.25);
    assert.equal(parseProbabilityText('25'), 0.25);
    assert.equal(parseProbabilityText('1'), 0.01);
    assert.equal(parseProbabilityText('0.25'), 0.25);
    assert.equal(parseProbabilityText('.5'), 0.5);
    assert.equal(parseProbabilityText('3:1'), 0.75);
    assert.equal(parseProbabilityText('3 to 1'), 0.75);
    assert.equal(parseProbabilityText('1 in 20'), 0.05);
    assert.equal(parseProbabilityText('1/20'), 0.05);
    assert.equal(parseProbabilityText('1 OUT OF 4'), 0.25);
    close(parseProbabilityText('99.9%'), 0.999, 1e-15);
  });
  it('guards', () => {
    throwsNamed('parseProbabilityText', () => parseProbabilityText('abc'), /not a probability/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText(''), /not a probability/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('-5%'), /not a probability/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('120%'), /strictly between 0% and 100%/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('100'), /strictly between/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('0'), /strictly between/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('1/0'), /divides by zero/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('0:0'), /0:0/);
    throwsNamed('parseProbabilityText', () => parseProbabilityText('3:0'), /strictly between/);
  });
  it('property: "x%" reads back x / 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (n) => {
        const x = n / 100;
        close(parseProbabilityText(`${x}%`), x / 100, 1e-15);
      }),
    );
  });
});
