// Runs once when a server starts (see instrumentation-node.ts for what it does).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./instrumentation-node')).start();
}
