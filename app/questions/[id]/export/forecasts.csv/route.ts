// GET /questions/{id}/export/forecasts.csv: one row per forecast and scenario, oldest first,
// with the same visibility as the API (anti-herding: only your own until your first forecast).
// Session or API token; errors come back as JSON.
import { getDb } from '@/db';
import { listVisibleForecasts } from '@/db/queries/analysis';
import { getQuestionForUser } from '@/db/queries/questions';
import { csv, iso, parseId, withApi } from '@/lib/api';

export const dynamic = 'force-dynamic';

const FORECAST_CSV_FIELDS = ['forecast_id', 'time', 'user_id', 'user', 'scenario', 'probability', 'event_id', 'indicator', 'rationale'];

export const GET = withApi<{ id: string }>(({ actor, params }) => {
  const id = parseId(params.id);
  const rows = getDb().transaction((tx) => {
    const q = getQuestionForUser(tx, actor, id);
    const { rows: forecasts, names } = listVisibleForecasts(tx, actor, q.id);
    const out: unknown[][] = [];
    for (const f of [...forecasts].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
      q.scenarios.forEach((s, k) => {
        out.push([f.id, iso(f.createdAt), f.userId, names.get(f.userId) ?? '?', s.name, f.probabilities[k], f.event?.id ?? '', f.event?.indicatorName ?? '', f.rationale]);
      });
    }
    return out;
  });
  return csv(`signpost-question-${id}-forecasts.csv`, FORECAST_CSV_FIELDS, rows);
});
