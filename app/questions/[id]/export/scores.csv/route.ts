// GET /questions/{id}/export/scores.csv: one row per forecaster, then one per aggregation
// method, with the scores of a resolved question (409 JSON until it is resolved).
// Session or API token; errors come back as JSON.
import { getDb } from '@/db';
import { getScoresView } from '@/db/queries/analysis';
import { csv, parseId, withApi } from '@/lib/api';

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
];

const cell = (x: number | null | undefined) => (x === null || x === undefined ? '' : x);

export const GET = withApi<{ id: string }>(({ actor, params }) => {
  const id = parseId(params.id);
  const s = getScoresView(getDb(), actor, id);
  const rows: unknown[][] = [
    ...s.forecasters.map((f) => [
      'forecaster', f.userId, f.name, cell(f.timeAveragedBrier), f.coverage, cell(f.relativeBrier),
      cell(f.finalBrier), cell(f.logScore), cell(f.normalisedLogScore), f.forecastCount, s.outcomeName,
    ]),
    ...s.methods.map((m) => ['method', m.id, m.label, cell(m.timeAveragedBrier), m.coverage, '', '', '', '', '', s.outcomeName]),
  ];
  return csv(`signpost-question-${id}-scores.csv`, FIELDS, rows);
});
