// GET /questions/{id}/export/forecasts.csv: one row per forecast and scenario, oldest first,
// with the same visibility as the API (anti-herding: only your own until your first forecast).
// Session or API token; errors come back as JSON.
import { getQuestionForUser } from '@/db/queries/questions';
import { listVisibleForecasts } from '@/db/queries/team-view';
import { iso } from '@/lib/format';
import { routeId, withApi } from '@/server/api';
import { csv } from '@/server/csv';

export const dynamic = 'force-dynamic';

const FORECAST_CSV_FIELDS = ['forecast_id', 'time', 'user_id', 'user', 'scenario', 'probability', 'event_id', 'indicator', 'rationale', 'reaffirmation'];

export const GET = withApi<{ id: string }>(async ({ actor, params, db }) => {
  const id = routeId(params.id);
  const rows = await db.read(async (tx) => {
    const q = await getQuestionForUser(tx, actor, id);
    const { rows: forecasts, names } = await listVisibleForecasts(tx, actor, q);
    const out: unknown[][] = [];
    for (const f of [...forecasts].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
      q.scenarios.forEach((s, k) => {
        out.push([f.id, iso(f.createdAt), f.userId, names.get(f.userId) ?? '?', s.name, f.probabilities[k], f.event?.id ?? '', f.event?.indicatorName ?? '', f.rationale, f.reaffirmation ? 'yes' : 'no']);
      });
    }
    return out;
  });
  return csv(`signpost-question-${id}-forecasts.csv`, FORECAST_CSV_FIELDS, rows);
});
