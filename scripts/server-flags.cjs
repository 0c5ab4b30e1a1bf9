// Node flags of the server process, for every start (npm start, the demo, e2e, benchmarks).
// CommonJS, so the TypeScript of the benchmarks and e2e helpers can require it as it is.
//
// A page render allocates a lot of short-lived objects: with V8's default 16 MB semi-spaces,
// garbage collection took about a fifth of a question page's time (CPU profile, bench:http);
// 64 MB semi-spaces gave the bare and the question page 10-15% more requests a second for
// about 100 MB more resident memory. NODE_OPTIONS with its own --max-semi-space-size wins.
'use strict';

/** @param {NodeJS.ProcessEnv} [env] @returns {string[]} */
function serverNodeArgs(env = process.env) {
  return /--max-semi-space-size/.test(env.NODE_OPTIONS ?? '') ? [] : ['--max-semi-space-size=64'];
}

module.exports = { serverNodeArgs };
