// `npm start`: a production start of an existing build. Refuses to start without AUTH_SECRET.
import { startServer } from './run.mjs';

if (!process.env.AUTH_SECRET) {
  console.error(
    '[signpost] AUTH_SECRET is not set. Signpost signs its session cookies with it and will not start without it ' +
      'in production. Generate one with `openssl rand -base64 32` and set AUTH_SECRET (see README.md).',
  );
  process.exit(1);
}
const port = Number(process.env.PORT) || 3000;
startServer({ ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? 'true' }, port);
