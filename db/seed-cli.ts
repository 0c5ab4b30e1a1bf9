// `npm run seed`: seeds the demo into DATABASE_PATH (default data/signpost.db) if it is empty.
import { openDatabase } from './index';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed';
import { readEnv } from '@/lib/env';

async function main() {
  const file = readEnv().databasePath;
  const { db, sqlite } = openDatabase(file);
  await seedDemo(db);
  sqlite.close();
  console.log(`Seeded the illustrative demo into ${file}.`);
  console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(22)} ${a.role}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
