// GET /api/v1/questions/{id}/scores: every score of a resolved question (409 until resolved).
// Brier scores run 0 (perfect) to 2; relative Brier is against the team median (negative is
// better); coverage is the share of the question's window with a standing forecast.
import { getDb } from '@/db';
import { getScoresView } from '@/db/queries/analysis';
import { getQuestionForUser } from '@/db/queries/questions';
import { iso, parseId, withApi } from '@/lib/api';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(({ actor, params }) => {
  const id = parseId(params.id);
  return getDb().transaction((tx) => {
    const s = getScoresView(tx, actor, id);
    const q = getQuestionForUser(tx, actor, id);
    return {
      questionId: id,
      outcome: { index: s.outcomeIndex, scenarioId: q.scenarios[s.outcomeIndex]?.id ?? null, name: s.outcomeName },
      window: { start: iso(s.window.start), end: iso(s.window.end) },
      forecasters: s.forecasters,
      methods: s.methods,
      events: s.events,
    };
  });
});
