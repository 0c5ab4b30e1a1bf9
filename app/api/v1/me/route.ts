// GET /api/v1/me: who the API thinks you are (useful to check a token).
import { otherMethods, withApi } from '@/server/api';

export const dynamic = 'force-dynamic';

export const GET = withApi(({ actor, request }) => ({
  user: { id: actor.id, name: actor.name, role: actor.role },
  authenticatedBy: request.headers.has('authorization') ? 'token' : 'session',
}));

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
