// POST /api/v1/questions/{id}/reaffirm: "still my forecast". Records the caller's standing
//      forecast again, now, as a new forecast flagged as a reaffirmation (it counts for
//      recency, coverage and staleness like any forecast). Body: {} (JSON).
//      201 with the stored forecast; 400 bad body, 401 no caller, 403 viewer, 404 unknown
//      question (or a draft the caller may not see), 409 question not open or no standing
//      forecast to reaffirm.
// Probabilities in answers are fractions (0-1), aligned with `scenarioIds`.
import { assertRole, visibleQuestionId } from '@/db/queries/access';
import { reaffirmForecast } from '@/db/queries/forecasts';
import { iso } from '@/lib/format';
import { reaffirmBodySchema } from '@/lib/validation/api';
import { json, otherMethods, readJsonBody, routeId, withApi } from '@/server/api';

export const dynamic = 'force-dynamic';

export const POST = withApi<{ id: string }>(async ({ actor, params, request, db }) => {
  // As the forecast POST: an unknown question is a 404 whatever the body, a viewer a 403.
  const id = await visibleQuestionId(db, actor, routeId(params.id));
  assertRole(actor, ['lead', 'forecaster'], 'forecast');
  await readJsonBody(request, reaffirmBodySchema);
  const saved = await reaffirmForecast(db, actor, id);
  return json(
    {
      forecast: {
        id: saved.id,
        questionId: id,
        user: { id: actor.id, name: actor.name },
        createdAt: iso(saved.createdAt),
        reaffirmation: true,
        scenarioIds: saved.scenarioIds,
        probabilities: saved.probabilities,
      },
    },
    201,
    { location: `/api/v1/questions/${id}/forecasts` },
  );
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(['POST']);
