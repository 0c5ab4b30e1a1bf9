// Preloaded (`node --require`) by the start scripts (scripts/run.mjs, bench/harness.ts). Next
// listens before it loads the app's instrumentation, so a request that arrives in that moment
// (a health check right after start) would pass before server/request-log.ts installs its hook
// and get neither a request id nor a log line. Such requests are kept here, with the time they
// arrived, for that hook to take over: Next holds them unanswered until it is ready, so each
// still gets its id, its X-Request-Id header and its line.
'use strict';
const http = require('node:http');

const MAX_KEPT = 1000;

if (globalThis.__signpostEarlyRequests === undefined) {
  const kept = [];
  globalThis.__signpostEarlyRequests = kept;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    // null once the request log has taken over.
    if (event === 'request' && globalThis.__signpostEarlyRequests && kept.length < MAX_KEPT) {
      kept.push({ req: args[0], res: args[1], started: process.hrtime.bigint() });
    }
    return emit.call(this, event, ...args);
  };
}
