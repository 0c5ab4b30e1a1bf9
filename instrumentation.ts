import type { Instrumentation } from 'next';

// Runs once when a server starts (see instrumentation-node.ts for what it does).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./instrumentation-node')).start();
}

// Errors thrown while rendering, in a server action or in a route handler (Next calls this).
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME === 'nodejs') (await import('./instrumentation-node')).logRequestError(error, request, context);
};
