// Anything under /api/v1 that is not an endpoint: a JSON 404, never the HTML not-found page.
import { jsonError, requestIdOf } from '@/server/api';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const unknown = (request: Request) => jsonError(notFound('There is no such API endpoint. See /api/v1/questions.'), requestIdOf(request));

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE };
