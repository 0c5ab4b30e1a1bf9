/**
 * Loader for the ForecastBench 2024-07-21 superforecaster set (../shared/data/
 * forecastbench-2024-07-21-superforecasters, CC BY-SA 4.0; Karger et al., ICLR 2025), shared by
 * bench/accuracy.ts and lib/forecastbench.test.ts. I/O lives here, never in lib/.
 *
 * Targets are binary; a forecast becomes the vector [p_no, p_yes] = [1 - p, p] (scenario 0 =
 * "no", scenario 1 = "yes", the CSV's option order no|yes), so the multi-category Brier on
 * the 0-2 scale is twice ForecastBench's binary (p - o)^2.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';

export const FORECASTBENCH_DIR_NAME = 'forecastbench-2024-07-21-superforecasters';

/** One resolved target with every superforecaster's probability of "yes". */
export interface ForecastBenchTarget {
  id: string;
  sourceQuestionId: string;
  source: string;
  kind: 'dataset' | 'market';
  /** The resolution date (horizon for dataset targets), YYYY-MM-DD. */
  closeDate: string;
  /** 1 when the target resolved "yes", 0 for "no". */
  outcome: 0 | 1;
  forecasts: { forecasterId: string; pYes: number }[];
}

export interface ForecastBenchData {
  dir: string;
  /** Resolved targets only (578 in the published snapshot: 521 dataset, 57 market). */
  targets: ForecastBenchTarget[];
  /** All targets with forecasts, resolved or not. */
  targetCount: number;
  forecasterCount: number;
}

/**
 * The data folder: $SIGNPOST_SHARED_DATA when set (either the dataset folder itself or the
 * shared data folder that contains it), else <repoRoot>/../shared/data/<dataset>.
 */
export function forecastBenchDir(repoRoot: string): string {
  const env = process.env.SIGNPOST_SHARED_DATA;
  if (env) {
    if (existsSync(path.join(env, 'forecasts.csv'))) return path.resolve(env);
    return path.resolve(env, FORECASTBENCH_DIR_NAME);
  }
  return path.resolve(repoRoot, '..', 'shared', 'data', FORECASTBENCH_DIR_NAME);
}

/** True when both CSVs are present. */
export function forecastBenchAvailable(dir: string): boolean {
  return existsSync(path.join(dir, 'forecasts.csv')) && existsSync(path.join(dir, 'questions.csv'));
}

function readCsv(file: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`${file}: CSV parse error at row ${e?.row}: ${e?.message}`);
  }
  return parsed.data;
}

/**
 * Reads questions.csv and forecasts.csv; keeps the resolved targets and, for each, the
 * forecasters' "yes" probabilities (the "no" rows are 1 - yes and are skipped). Returns null
 * when the folder or a CSV is absent. Throws on malformed data (a probability outside [0, 1],
 * a duplicate forecaster on a target, a resolved target with no forecasts).
 */
export function loadForecastBench(dir: string): ForecastBenchData | null {
  if (!forecastBenchAvailable(dir)) return null;
  const questions = readCsv(path.join(dir, 'questions.csv'));
  const rows = readCsv(path.join(dir, 'forecasts.csv'));
  const byTarget = new Map<string, ForecastBenchTarget>();
  for (const q of questions) {
    if (q.resolved !== 'true') continue;
    if (q.resolved_option !== 'yes' && q.resolved_option !== 'no') {
      throw new Error(`questions.csv: ${q.question_id} is resolved without a yes/no option`);
    }
    if (q.kind !== 'dataset' && q.kind !== 'market') throw new Error(`questions.csv: ${q.question_id} has kind ${q.kind}`);
    byTarget.set(q.question_id as string, {
      id: q.question_id as string,
      sourceQuestionId: q.source_question_id as string,
      source: q.source as string,
      kind: q.kind,
      closeDate: q.close_date as string,
      outcome: q.resolved_option === 'yes' ? 1 : 0,
      forecasts: [],
    });
  }
  const forecasters = new Set<string>();
  for (const r of rows) {
    forecasters.add(r.forecaster_id as string);
    if (r.option !== 'yes') continue;
    const t = byTarget.get(r.question_id as string);
    if (!t) continue;
    const p = Number(r.probability);
    if (!(p >= 0 && p <= 1)) throw new Error(`forecasts.csv: probability ${r.probability} on ${r.question_id}`);
    if (t.forecasts.some((f) => f.forecasterId === r.forecaster_id)) {
      throw new Error(`forecasts.csv: ${r.forecaster_id} forecasts ${r.question_id} twice`);
    }
    t.forecasts.push({ forecasterId: r.forecaster_id as string, pYes: p });
  }
  const targets = [...byTarget.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const t of targets) if (t.forecasts.length === 0) throw new Error(`no forecasts for resolved target ${t.id}`);
  return { dir, targets, targetCount: questions.length, forecasterCount: forecasters.size };
}

/** [1 - p, p]: a binary forecast as a two-scenario vector (scenario 1 = "yes"). */
export function binaryVector(pYes: number): number[] {
  return [1 - pYes, pYes];
}
