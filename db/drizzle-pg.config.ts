// drizzle-kit settings for the PostgreSQL migrations (npm run db:generate makes both engines').
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/pg.ts',
  out: './db/migrations/pg',
});
