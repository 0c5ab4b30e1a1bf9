// A trivial route: no session, no database. The baseline of `npm run bench:http`, and a
// liveness probe for whoever runs the server.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
