// GET /questions/{id}/export/scores.csv: one row per forecaster, then one per aggregation
// method, with the scores of a resolved question (409 JSON until it is resolved).
// Session or API token; errors come back as JSON.
import { getQuestionDiscrimination } from '@/db/queries/discrimination';
import { getScoresView } from '@/db/queries/scores';
import { routeId, withApi } from '@/server/api';
import { csv } from '@/server/csv';
import { methodLabel } from '../../../../_components/method-labels';

export const dynamic = 'force-dynamic';

const FIELDS = [
  'kind',
  'id',
  'name',
  'time_averaged_brier',
  'coverage',
  'relative_brier',
  'final_brier',
  'log_score',
  'normalised_log_score',
  'forecast_count',
  'outcome',
  // Signpost rows (kind 'signpost'): id and name are the indicator's; the judge is the team
  // default or a forecaster (every forecaster for a lead, yourself otherwise).
  'judge_id',
  'judge',
  'judgements',
  'observed_judgements',
  'mean_log_likelihood_vs_flat',
  'standard_error',
];

const cell = (x: number | null | undefined) => (x === null || x === undefined ? '' : x);

export const GET = withApi<{ id: string }>(async ({ actor, params, db }) => {
  const id = routeId(params.id);
  const s = await getScoresView(db, actor, id);
  const d = await getQuestionDiscrimination(db, actor, id);
  const rows: unknown[][] = [
    ...s.forecasters.map((f) => [
      'forecaster', f.userId, f.name, cell(f.timeAveragedBrier), f.coverage, cell(f.relativeBrier),
      cell(f.finalBrier), cell(f.logScore), cell(f.normalisedLogScore), f.forecastCount, s.outcomeName,
    ]),
    ...s.methods.map((m) => ['method', m.id, methodLabel(m.id), cell(m.timeAveragedBrier), m.coverage, '', '', '', '', '', s.outcomeName]),
    ...d.indicators.flatMap((ind) => [
      ...(ind.teamDefault ? [{ judgeId: 'team-default', judge: 'Team default', stats: ind.teamDefault }] : []),
      ...ind.byForecaster.map((f) => ({ judgeId: f.userId, judge: f.name, stats: f.stats })),
    ].map((r) => [
      'signpost', ind.indicatorId, ind.name, '', '', '', '', '', '', '', s.outcomeName,
      r.judgeId, r.judge, r.stats.count, r.stats.observedCount, r.stats.meanScore, cell(r.stats.standardError),
    ])),
  ];
  return csv(`signpost-question-${id}-scores.csv`, FIELDS, rows);
});
