// GET /api/v1/questions/{id}/scores: every score of a resolved question (409 until resolved).
// Brier scores run 0 (perfect) to 2; relative Brier is against the team median (negative is
// better); coverage is the share of the question's window with a standing forecast.
import { getQuestionForUser } from '@/db/queries/questions';
import { getScoresView } from '@/db/queries/scores';
import { iso } from '@/lib/format';
import { routeId, otherMethods, withApi } from '@/server/api';
import { methodLabel } from '../../../../../_components/method-labels';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(async ({ actor, params, db }) => {
  const id = routeId(params.id);
  return db.read(async (tx) => {
    const q = await getQuestionForUser(tx, actor, id);
    const s = await getScoresView(tx, actor, q);
    return {
      questionId: id,
      outcome: { index: s.outcomeIndex, scenarioId: q.scenarios[s.outcomeIndex]?.id ?? null, name: s.outcomeName },
      window: { start: iso(s.window.start), end: iso(s.window.end) },
      forecasters: s.forecasters,
      methods: s.methods.map((m) => ({ id: m.id, label: methodLabel(m.id), timeAveragedBrier: m.timeAveragedBrier, coverage: m.coverage })),
      events: s.events,
    };
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
