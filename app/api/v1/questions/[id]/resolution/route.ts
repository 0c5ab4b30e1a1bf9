// POST /api/v1/questions/{id}/resolution: a lead resolves a question, or corrects its
// resolution. Body (JSON): { "scenarioId": 12, "resolvedAt": "2026-12-31T23:00:00Z", "note"?: "..." }
// 200 with the new status; 400 bad body, scenario not of this question or a bad time; 403 not
// a lead; 404 unknown question; 409 a draft or annulled question. The same rules as the page.
import { assertRole } from '@/db/queries/access';
import { getQuestionForUser } from '@/db/queries/questions';
import { resolveQuestion } from '@/db/queries/resolution';
import { iso } from '@/lib/format';
import { otherMethods, readJsonBody, routeId, withApi } from '@/server/api';
import { resolveApiSchema } from '@/lib/validation/resolution';

export const dynamic = 'force-dynamic';

export const POST = withApi<{ id: string }>(async ({ actor, params, request, db }) => {
  const id = routeId(params.id);
  await getQuestionForUser(db, actor, id);
  assertRole(actor, ['lead'], 'resolve questions');
  const body = await readJsonBody(request, resolveApiSchema);
  await resolveQuestion(db, actor, id, body);
  const q = await getQuestionForUser(db, actor, id);
  return { question: { id: q.id, status: q.status, resolvedScenarioId: q.resolvedScenarioId, resolvedAt: q.resolvedAt === null ? null : iso(q.resolvedAt), note: q.resolutionNote } };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(['POST']);
