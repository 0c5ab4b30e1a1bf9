/**
 * Real-data check: the per-target superforecaster median on the ForecastBench 2024-07-21 human
 * round reproduces the published score, and the simple pools reproduce the figures in the
 * dataset README. Reads ../shared/data/forecastbench-2024-07-21-superforecasters (or
 * $SIGNPOST_SHARED_DATA) and skips when it is absent.
 *
 * Published: "Superforecaster median forecast", leaderboards/csv/human_leaderboard_overall.csv of
 * forecastingresearch/forecastbench-datasets (commit 427da6d9): dataset 0.122, market 0.082,
 * overall 0.102 on the binary scale (p - o)^2. The README's recomputation from these CSVs:
 * dataset 0.1223, market 0.0830 (57 targets here, 54 published), overall 0.1026; and on the
 * 0-2 scale over the 521 dataset targets: mean 0.2472, median 0.2445, logarithmic pool 0.2465,
 * extremised logarithmic pool (alpha 1.5) 0.2412, mean individual forecaster 0.2620 (clipping
 * to [0.001, 0.999] only for the logarithmic pools, which lib/aggregation does itself).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryVector, forecastBenchDir, loadForecastBench, type ForecastBenchTarget } from '../bench/forecastbench-data';
import { aggregate, extremisedPool, linearPool, logarithmicPool, medianPool, recommendMethod, skillWeightsFromRecords, type ResolvedQuestion } from './aggregation';
import { recordUnits, recordsFromUnits } from './aggregation/skill';
import { brier } from './scoring';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = forecastBenchDir(repoRoot);
const data = loadForecastBench(dir);

/** Mean multi-category Brier (0-2 scale) of a pool over targets. */
function meanBrier(targets: readonly ForecastBenchTarget[], pool: (v: number[][]) => number[]): number {
  let s = 0;
  for (const t of targets) s += brier(pool(t.forecasts.map((f) => binaryVector(f.pYes))), t.outcome);
  return s / targets.length;
}

const close = (x: number, y: number, tol: number) => assert.ok(Math.abs(x - y) <= tol, `${x} != ${y}`);
const near = (x: number, target: number, tol: number, what: string) =>
  assert.ok(Math.abs(x - target) < tol, `${what}: ${x} is not within ${tol} of ${target}`);

describe('ForecastBench 2024-07-21 superforecasters', () => {
  it('has the documented counts', (t) => {
    if (!data) return t.skip(`data folder ${dir} is absent`);
    const dataset = data.targets.filter((x) => x.kind === 'dataset');
    const market = data.targets.filter((x) => x.kind === 'market');
    assert.equal(dataset.length, 521);
    assert.equal(market.length, 57);
    assert.equal(data.forecasterCount, 40);
    assert.equal(data.targets.reduce((s, x) => s + x.outcome, 0), 183);
  });

  it('per-target median reproduces the published superforecaster median', (t) => {
    if (!data) return t.skip(`data folder ${dir} is absent`);
    const dataset = data.targets.filter((x) => x.kind === 'dataset');
    const market = data.targets.filter((x) => x.kind === 'market');
    const datasetMulti = meanBrier(dataset, medianPool);
    const datasetBinary = datasetMulti / 2;
    // published 0.122 (binary), README 0.1223; 0-2 scale 0.2445
    near(datasetBinary, 0.1223, 0.0005, 'dataset median, binary scale');
    assert.equal(datasetBinary.toFixed(3), '0.122');
    near(datasetMulti, 0.2445, 0.0005, 'dataset median, 0-2 scale');
    const marketBinary = meanBrier(market, medianPool) / 2;
    near(marketBinary, 0.083, 0.0005, 'market median, binary scale'); // published 0.082 on 54 targets
    near((datasetBinary + marketBinary) / 2, 0.1026, 0.0005, 'overall median, binary scale'); // published 0.102
  });

  it('mean, logarithmic and extremised pools and the mean individual match the README', (t) => {
    if (!data) return t.skip(`data folder ${dir} is absent`);
    const dataset = data.targets.filter((x) => x.kind === 'dataset');
    near(meanBrier(dataset, linearPool), 0.2472, 0.0005, 'mean');
    near(meanBrier(dataset, logarithmicPool), 0.2465, 0.0005, 'logarithmic pool');
    near(
      meanBrier(dataset, (v) => extremisedPool(v, 1.5)),
      0.2412,
      0.0005,
      'extremised logarithmic pool, alpha 1.5',
    );
    // mean individual forecaster: per target, the mean of the forecasters' Brier scores; then the mean over targets
    let s = 0;
    for (const x of dataset) {
      s += x.forecasts.reduce((a, f) => a + brier(binaryVector(f.pYes), x.outcome), 0) / x.forecasts.length;
    }
    near(s / dataset.length, 0.262, 0.0005, 'mean individual forecaster');
  });

  it('skill weights with the tuned defaults do not hurt the log pool (docs/formulas.md#tuned-skill-defaults)', (t) => {
    if (!data) return t.skip(`data folder ${dir} is absent`);
    // The targets as a record, horizons of one source question in one group; each target's
    // skill weights come from the other source questions (leave one question out), as in
    // npm run bench:accuracy, which printed: uniform 0.2390, skill (defaults) 0.2353 pooled.
    const record: ResolvedQuestion[] = data.targets.map((x) => ({
      id: x.id,
      group: x.sourceQuestionId,
      history: x.forecasts.map((f) => ({ forecasterId: f.forecasterId, time: 0, probabilities: binaryVector(f.pYes) })),
      window: { start: 0, end: 1 },
      outcome: x.outcome,
    }));
    const units = recordUnits('test', record);
    let uniform = 0;
    let skill = 0;
    record.forEach((q, i) => {
      const skillWeights = skillWeightsFromRecords(recordsFromUnits(units, new Set([units.unitOf[i] as number])));
      uniform += brier(aggregate(q.history, 'logarithmic-uniform'), q.outcome);
      skill += brier(aggregate(q.history, 'logarithmic-skill', { skillWeights, missingSkill: 'neutral' }), q.outcome);
    });
    uniform /= record.length;
    skill /= record.length;
    near(uniform, 0.239, 0.0005, 'uniform log pool, pooled 0-2');
    near(skill, 0.2353, 0.0005, 'skill log pool with the defaults, pooled 0-2');
    assert.ok(skill <= uniform, `skill ${skill} is worse than uniform ${uniform}`);
    // The team-record method, one source question left out at a time, beats the log pool too.
    const r = recommendMethod(record, {
      currentMethodId: 'logarithmic-uniform',
      candidates: ['linear-uniform', 'median-uniform', 'logarithmic-uniform', 'extremised-uniform', 'linear-skill', 'median-skill', 'logarithmic-skill', 'extremised-skill'],
    });
    assert.equal(r.groupCount, 162);
    close(r.current.meanBrier as number, uniform, 1e-12);
    assert.ok((r.leaveOneOut?.meanBrier as number) < uniform);
  });
});
