// Assertions shared by the lib/ unit tests.
import assert from 'node:assert/strict';
import { MathInputError } from './math-errors';

/** Asserts f throws a MathInputError whose message starts with "<fnName>: " (and matches pattern). */
export function throwsNamed(fnName: string, f: () => unknown, pattern?: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof MathInputError, `expected MathInputError, got ${String(e)}`);
    assert.ok(e.message.startsWith(`${fnName}: `), `message "${e.message}" should start with "${fnName}: "`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

export const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

export const closeVec = (a: readonly number[], b: readonly number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => close(x, b[i] as number, tol));
};

export const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);
