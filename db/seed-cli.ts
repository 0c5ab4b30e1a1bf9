// `npm run seed`: seeds the demo into the configured database (DATABASE_URL, else the SQLite
// file at DATABASE_PATH) when it is empty, and refuses, saying so, when it holds other data.
import { readDbConfig } from './config';
import { openDatabase } from './index';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed';

async function main() {
  const config = readDbConfig();
  const where = config.engine === 'postgres' ? `PostgreSQL at ${config.where}` : config.file;
  const { db, close } = await openDatabase(config);
  try {
    await seedDemo(db);
  } finally {
    await close();
  }
  console.log(`Seeded the illustrative demo into ${where}.`);
  console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(22)} ${a.role}`);
}

main().catch((e) => {
  console.error(`[signpost] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
