// GET /api/v1/questions: every question the caller may see, newest first.
import { listQuestionsForUser } from '@/db/queries/questions';
import { iso } from '@/lib/format';
import { otherMethods, withApi } from '@/server/api';

export const dynamic = 'force-dynamic';

export const GET = withApi(async ({ actor, db }) => ({
  questions: (await listQuestionsForUser(db, actor)).map((q) => ({
    id: q.id,
    title: q.title,
    status: q.status,
    opensAt: iso(q.opensAt),
    closesAt: iso(q.closesAt),
    illustrative: q.illustrative,
    scenarios: q.scenarios,
    // The caller's own standing forecast, as probabilities (0-1) in scenario order.
    myLatest: q.myLatest
      ? { createdAt: iso(q.myLatest.createdAt), probabilities: q.scenarios.map((s) => q.myLatest!.probabilities.get(s.id) ?? null) }
      : null,
  })),
}));

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
