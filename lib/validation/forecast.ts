import { checkPercentVector } from '@/lib/probability';
import { LIMITS, textField } from './common';

export const rationaleField = textField('The rationale', LIMITS.rationale).default('');

export interface ScenarioRef {
  id: number;
  name: string;
}

export type VectorResult =
  | { ok: true; probabilities: number[] }
  | { ok: false; message: string; field?: string };

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Reads one percentage typed by a user ("12.5" or "12.5%"); null when it is not a number. */
export function readPercent(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/%$/, '').trim();
  if (!NUMBER_TEXT.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads one number per scenario from what a user sent: refuses values for unknown scenarios,
 * missing values and non-numbers, naming the scenario. `what` words the messages.
 */
function readScenarioNumbers(
  scenarios: readonly ScenarioRef[],
  values: ReadonlyMap<number, unknown>,
  what: 'probability' | 'likelihood',
  prefix: string,
): { ok: true; numbers: number[] } | { ok: false; message: string; field?: string } {
  const known = new Set(scenarios.map((s) => s.id));
  for (const id of values.keys()) {
    if (!known.has(id)) {
      return { ok: false, message: `A ${what} was sent for scenario ${id}, which is not a scenario of this question.` };
    }
  }
  const numbers: number[] = [];
  for (const s of scenarios) {
    const raw = values.get(s.id);
    if (raw === undefined || raw === '' || raw === null) {
      return { ok: false, message: `Enter a ${what} for "${s.name}".`, field: `${prefix}${s.id}` };
    }
    const n = readPercent(raw);
    if (n === null) return { ok: false, message: `The ${what} for "${s.name}" is not a number.`, field: `${prefix}${s.id}` };
    numbers.push(n);
  }
  return { ok: true, numbers };
}

/**
 * The input rule (docs/formulas.md#the-input-rule) for a submitted forecast, with messages that
 * name the scenario: exactly one number per scenario of the question (no missing and no
 * extra values), each in [0.1%, 99.9%], totalling 100% within 0.5 points; returns the vector
 * renormalised to sum 1.
 * `values` maps scenario id to what the user sent.
 */
export function parseScenarioPercents(
  scenarios: readonly ScenarioRef[],
  values: ReadonlyMap<number, unknown>,
): VectorResult {
  const read = readScenarioNumbers(scenarios, values, 'probability', 'p_');
  if (!read.ok) return read;
  const checked = checkPercentVector(read.numbers, scenarios.length);
  if (!checked.ok) {
    const s = checked.index !== undefined ? scenarios[checked.index] : undefined;
    return s
      ? { ok: false, message: `"${s.name}": ${checked.message}`, field: `p_${s.id}` }
      : { ok: false, message: checked.message };
  }
  return { ok: true, probabilities: checked.probabilities };
}

/** Collects p_<scenarioId> fields from a form. */
export function scenarioValuesFromForm(form: FormData, prefix = 'p_'): Map<number, unknown> {
  const values = new Map<number, unknown>();
  for (const [key, value] of form.entries()) {
    if (!key.startsWith(prefix)) continue;
    const id = Number(key.slice(prefix.length));
    values.set(Number.isInteger(id) ? id : -1, value);
  }
  return values;
}

/**
 * Likelihoods P(indicator observed | scenario) in percent, one per scenario, each in [0, 100],
 * not all zero. Returns them as probabilities in [0, 1].
 */
export function parseScenarioLikelihoods(
  scenarios: readonly ScenarioRef[],
  values: ReadonlyMap<number, unknown>,
): VectorResult {
  const read = readScenarioNumbers(scenarios, values, 'likelihood', 'l_');
  if (!read.ok) return read;
  const bad = read.numbers.findIndex((n) => n < 0 || n > 100);
  if (bad >= 0) {
    const s = scenarios[bad]!;
    return {
      ok: false,
      message: `The likelihood for "${s.name}" is ${read.numbers[bad]}%: a likelihood must be between 0% and 100%.`,
      field: `l_${s.id}`,
    };
  }
  if (read.numbers.every((n) => n === 0)) {
    return { ok: false, message: 'The likelihoods are all 0%: at least one scenario must allow the indicator.' };
  }
  return { ok: true, probabilities: read.numbers.map((n) => n / 100) };
}
