// One JSON log line per request, written when its answer is complete: time, method, route,
// status, duration and the request id. Installed once at start (instrumentation-node.ts) on
// Node's HTTP server, where every request arrives (pages, server actions, the API, Auth.js,
// static files) and where its final status is known, whichever part of Next answered it.
import http from 'node:http';
import type pino from 'pino';
import { trustedProxyHops } from './env';
import { log, routeForLog } from './log';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Gives each request its id (in the request's X-Request-Id header for the app, and in the
 * answer's) and logs it on completion. Only the fields below are logged: no headers, no
 * cookies, no query string, no body.
 */
export function onRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  logger: pino.Logger,
  trustProxy: boolean,
  started: bigint = process.hrtime.bigint(),
): void {
  const requestId = requestIdFor(req.headers[REQUEST_ID_HEADER], trustProxy);
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.once('close', () => {
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    const line = { requestId, method: req.method, route: routeForLog(req.url), status: res.statusCode, durationMs };
    // A client that hung up before the answer was complete.
    if (!res.writableFinished) logger.warn({ ...line, aborted: true }, 'request');
    else if (res.statusCode >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  });
}

/** Requests that arrived before this hook was installed (scripts/early-requests.cjs). */
interface EarlyRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  started: bigint;
}
const early = globalThis as { __signpostEarlyRequests?: EarlyRequest[] | null };

export function installRequestLog(logger: pino.Logger = log()): void {
  const proto = http.Server.prototype as http.Server & { __signpostRequestLog?: boolean; emit: Emit };
  if (proto.__signpostRequestLog) return;
  const trustProxy = trustedProxyHops() > 0;
  // Next answers nothing before the app's instrumentation has run (this is called from it), so
  // requests kept by the preload are still unanswered: they get their id and line here.
  const waiting = early.__signpostEarlyRequests ?? [];
  early.__signpostEarlyRequests = null;
  for (const { req, res, started } of waiting) {
    if (!res.headersSent && !res.writableEnded && !res.destroyed) onRequest(req, res, logger, trustProxy, started);
  }
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage | undefined, http.ServerResponse | undefined];
      if (req?.headers && res) onRequest(req, res, logger, trustProxy);
    }
    return emit.call(this, event, ...args);
  } as Emit;
  proto.__signpostRequestLog = true;
}
