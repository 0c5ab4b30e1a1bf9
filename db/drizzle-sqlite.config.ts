// drizzle-kit settings for the SQLite migrations (npm run db:generate makes both engines').
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema/sqlite.ts',
  out: './db/migrations/sqlite',
});
