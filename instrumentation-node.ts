// Node-only start-up: refuse a production start without a session secret, and open the
// database (checking DATABASE_URL or DATABASE_PATH, applying migrations) before the first
// request, so a bad setting or an unreachable server stops the start with one clear line.
import { getDb } from './db';
import { MISSING_SECRET_MESSAGE, checkEdgeEnv } from './server/env';
import { log, routeForLog } from './server/log';
import { installAdmission } from './server/admission';
import { installPeerHeader } from './server/peer';
import { installRequestLog } from './server/request-log';
import { startNotifyTimer } from './server/notify/timer';

export async function start(): Promise<void> {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  if (process.env.NODE_ENV === 'production' && !process.env.AUTH_SECRET) {
    console.error(`\n[signpost] ${MISSING_SECRET_MESSAGE}\n`);
    process.exit(1);
  }
  installPeerHeader();
  try {
    checkEdgeEnv();
    installAdmission(); // checks MAX_CONCURRENT_REQUESTS and MAX_QUEUED_REQUESTS; before the log, so logged times include the wait
    installRequestLog(); // checks LOG_LEVEL
    await getDb();
    // A bad SMTP_URL stops the start here; the sender then runs on a timer (issue 13).
    startNotifyTimer(getDb);
  } catch (error) {
    console.error(`\n[signpost] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/**
 * A render, action or route handler that threw: logged with the request's id and the digest
 * the error page shows, so the person's report leads to the stack trace.
 */
export function logRequestError(error: unknown, request: { path: string; method: string; headers: Record<string, string | string[] | undefined> }, context: { routePath?: string; routeType?: string }): void {
  const id = request.headers['x-request-id'];
  log().error(
    {
      requestId: Array.isArray(id) ? id[0] : (id ?? null),
      method: request.method,
      route: routeForLog(request.path),
      routePath: context.routePath,
      routeType: context.routeType,
      digest: (error as { digest?: string } | null)?.digest,
      err: error,
    },
    'request failed',
  );
}
