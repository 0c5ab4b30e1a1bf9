// `npm start`: a production start of an existing build. The server itself refuses to start
// without AUTH_SECRET (instrumentation-node.ts), with a message saying how to set it.
import { startServer } from './run.mjs';

const port = Number(process.env.PORT) || 3000;
startServer({ ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? 'true' }, port);
