// A trivial route: no session, no database. The baseline of `npm run bench:http`, and a
// liveness probe for whoever runs the server.
import { otherMethods } from '@/server/api';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
