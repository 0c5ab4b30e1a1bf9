import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lowerBound, upperBound } from './sorted';

/** Reference by linear scan: first index in [0, length) satisfying `pass`, else length. */
function firstIndex(xs: ArrayLike<number>, length: number, pass: (v: number) => boolean): number {
  for (let i = 0; i < length; i++) if (pass(xs[i] as number)) return i;
  return length;
}

describe('lowerBound and upperBound', () => {
  it('known values (by hand) with ties, outside values and an empty run', () => {
    const xs = [1, 2, 2, 2, 5];
    assert.equal(lowerBound(xs, 5, 2), 1);
    assert.equal(upperBound(xs, 5, 2), 4);
    assert.equal(lowerBound(xs, 5, 3), 4);
    assert.equal(upperBound(xs, 5, 3), 4);
    assert.equal(lowerBound(xs, 5, 0), 0);
    assert.equal(upperBound(xs, 5, 0), 0);
    assert.equal(lowerBound(xs, 5, 9), 5);
    assert.equal(upperBound(xs, 5, 5), 5);
    assert.equal(lowerBound([], 0, 1), 0);
    assert.equal(upperBound([], 0, 1), 0);
  });

  it('read only the first `length` entries, of plain, Int32 and Float64 arrays', () => {
    // The tail (0, 0) is not part of the run: a search must never look at it.
    assert.equal(lowerBound(Int32Array.of(3, 6, 8, 0, 0), 3, 7), 2);
    assert.equal(upperBound(Int32Array.of(3, 6, 8, 0, 0), 3, 8), 3);
    assert.equal(lowerBound(Float64Array.of(0.1, 0.5, 0.9, 0, 0), 3, 0.5), 1);
    assert.equal(upperBound(Float64Array.of(0.1, 0.5, 0.9, 0, 0), 3, 0.5), 2);
    assert.equal(upperBound([0.1, 0.5, 0.9, 0, 0], 2, 0.7), 2);
  });

  it('the doc comment examples hold', () => {
    assert.equal(lowerBound([1, 2, 2, 3], 4, 2), 1);
    assert.equal(lowerBound(Float64Array.of(0.1, 0.5, 0.9), 3, 1), 3);
    assert.equal(upperBound([1, 2, 2, 3], 4, 2), 3);
    assert.equal(upperBound(Int32Array.of(4, 7, 9, 0), 3, 0), 0);
  });

  it('property: equal a linear scan on any ascending prefix (integer grid, so ties are common)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: -22, max: 22 }),
        fc.constantFrom('array', 'int32', 'float64'),
        (raw, cut, x, kind) => {
          const values = [...raw].sort((a, b) => a - b);
          const length = values.length === 0 ? 0 : cut % (values.length + 1);
          // The part after `length` is scrambled: it must not matter.
          const stored = [...values.slice(0, length), ...values.slice(length).reverse()];
          const xs = kind === 'int32' ? Int32Array.from(stored) : kind === 'float64' ? Float64Array.from(stored) : stored;
          const lo = lowerBound(xs, length, x);
          const hi = upperBound(xs, length, x);
          assert.equal(lo, firstIndex(xs, length, (v) => v >= x));
          assert.equal(hi, firstIndex(xs, length, (v) => v > x));
          assert.equal(hi - lo, values.slice(0, length).filter((v) => v === x).length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
