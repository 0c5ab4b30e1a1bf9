// POST /api/v1/questions/{id}/resolution: a lead resolves a question, or corrects its
// resolution. Body (JSON): { "scenarioId": 12, "resolvedAt": "2026-12-31T23:00:00Z", "note"?: "..." }
// 200 with the new status; 400 bad body, scenario not of this question or a bad time; 403 not
// a lead; 404 unknown question; 409 a draft or annulled question. The same rules as the page.
import { getDb } from '@/db';
import { getQuestionForUser } from '@/db/queries/questions';
import { resolveQuestion } from '@/db/queries/resolution';
import { assertRole } from '@/db/queries/actor';
import { iso, parseId, readJsonBody, withApi } from '@/lib/api';
import { resolveSchema } from '@/lib/validation/resolution';

export const dynamic = 'force-dynamic';

export const POST = withApi<{ id: string }>(async ({ actor, params, request }) => {
  const id = parseId(params.id);
  const db = getDb();
  getQuestionForUser(db, actor, id);
  assertRole(actor, ['lead'], 'resolve questions');
  const body = await readJsonBody(request, resolveSchema);
  resolveQuestion(db, actor, id, body);
  const q = getQuestionForUser(db, actor, id);
  return { question: { id: q.id, status: q.status, resolvedScenarioId: q.resolvedScenarioId, resolvedAt: q.resolvedAt === null ? null : iso(q.resolvedAt), note: q.resolutionNote } };
});
