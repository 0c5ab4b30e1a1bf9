// GET  /api/v1/questions/{id}/forecasts: the forecasts the caller may see (anti-herding: only
//      their own until their first forecast), newest first.
// POST /api/v1/questions/{id}/forecasts: append a forecast. Body (JSON):
//      { "probabilities": { "<scenarioId>": 55, ... } | [55, 25, 15, 5],   percent
//        "rationale"?: "...", "eventId"?: 7, "likelihoods"?: same shapes (percent) }
//      201 with the stored forecast; 400 bad body or vector, 403 viewer, 404 unknown question,
//      409 question not open.
// Probabilities in answers are fractions (0-1), aligned with `scenarioIds`.
import { assertRole, visibleQuestionId } from '@/db/queries/access';
import { saveForecast } from '@/db/queries/forecasts';
import { getQuestionForUser } from '@/db/queries/questions';
import { listVisibleForecasts } from '@/db/queries/team-view';
import { iso } from '@/lib/format';
import { forecastBodySchema, vectorToValues } from '@/lib/validation/api';
import { json, otherMethods, readJsonBody, routeId, withApi } from '@/server/api';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(async ({ actor, params, db }) => {
  const id = routeId(params.id);
  return db.read(async (tx) => {
    const q = await getQuestionForUser(tx, actor, id);
    const { rows, names, restricted } = await listVisibleForecasts(tx, actor, q);
    return {
      questionId: q.id,
      scenarioIds: q.scenarios.map((s) => s.id),
      scenarios: q.scenarios.map((s) => ({ id: s.id, name: s.name })),
      restricted,
      forecasts: rows.map((f) => ({
        id: f.id,
        user: { id: f.userId, name: names.get(f.userId) ?? '?' },
        createdAt: iso(f.createdAt),
        rationale: f.rationale,
        reaffirmation: f.reaffirmation,
        event: f.event
          ? { id: f.event.id, indicatorName: f.event.indicatorName, kind: f.event.kind, occurredAt: iso(f.event.occurredAt), retracted: f.event.retracted }
          : null,
        probabilities: f.probabilities,
        prior: f.prior,
        likelihoods: f.likelihoods,
        implied: f.implied,
      })),
    };
  });
});

export const POST = withApi<{ id: string }>(async ({ actor, params, request, db }) => {
  // An unknown question is a 404 whatever the body; a viewer gets 403 whatever the body.
  // saveForecast loads the question first inside its transaction, so a good body costs no
  // load out here; a bad one is answered 404 when the question is unknown, else 400.
  const id = routeId(params.id);
  if (actor.role === 'viewer') await visibleQuestionId(db, actor, id);
  assertRole(actor, ['lead', 'forecaster'], 'forecast');
  const body = await readJsonBody(request, forecastBodySchema).catch(async (error: unknown) => {
    await visibleQuestionId(db, actor, id);
    throw error;
  });
  const { probabilities, likelihoods } = body;
  const saved = await saveForecast(db, actor, id, {
    values: (scenarios) => vectorToValues(probabilities, scenarios, 'probabilities'),
    rationale: body.rationale,
    update:
      body.eventId !== undefined && likelihoods !== undefined
        ? { eventId: body.eventId, likelihoods: (scenarios) => vectorToValues(likelihoods, scenarios, 'likelihoods') }
        : undefined,
  });
  return json(
    {
      forecast: {
        id: saved.id,
        questionId: id,
        user: { id: actor.id, name: actor.name },
        createdAt: iso(saved.createdAt),
        rationale: body.rationale,
        eventId: body.eventId ?? null,
        scenarioIds: saved.scenarioIds,
        probabilities: saved.probabilities,
        prior: saved.prior,
        implied: saved.implied,
      },
    },
    201,
    { location: `/api/v1/questions/${id}/forecasts` },
  );
});

export const { PUT, PATCH, DELETE } = otherMethods(['GET', 'POST']);
