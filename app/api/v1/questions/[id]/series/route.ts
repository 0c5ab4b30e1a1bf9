// GET /api/v1/questions/{id}/series?points=300: the team aggregate over time by the question's
// method, thinned to at most `points` points (10 to 2000; exact values, intermediate steps
// dropped), and the caller's own forecasts. `team` is null where anti-herding hides it.
// The question page's chart loads this after the page.
import { getChartSeries } from '@/db/queries/team-view';
import { invalid } from '@/lib/errors';
import { iso } from '@/lib/format';
import { parseId } from '@/lib/ids';
import { routeId, otherMethods, withApi } from '@/server/api';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(async ({ actor, params, request, db }) => {
  const id = routeId(params.id);
  const raw = new URL(request.url).searchParams.get('points');
  const points = raw === null ? 300 : parseId(raw);
  if (points === null || points < 10 || points > 2000) throw invalid('"points" must be a whole number from 10 to 2000.');
  const { team, mine } = await getChartSeries(db, actor, id, points);
  const shape = (s: { time: number; probabilities: number[] }) => ({ time: iso(s.time), probabilities: s.probabilities });
  return { questionId: id, points, team: team ? team.map(shape) : null, mine: mine.map(shape) };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
