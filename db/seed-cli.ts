// `npm run seed`: seeds the demo into the configured database (DATABASE_URL, else the SQLite
// file at DATABASE_PATH) when it is empty. With --reuse-demo (what `npm run demo` passes on
// PostgreSQL) a database that already holds exactly the demo's accounts is left as it is.
// A database holding other data is refused, saying so: the demo never mixes with real data.
import { users } from './schema';
import { readDbConfig } from './config';
import { openDatabase } from './index';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed';

async function main() {
  const reuse = process.argv.includes('--reuse-demo');
  const config = readDbConfig();
  const where = config.engine === 'postgres' ? `PostgreSQL at ${config.where}` : config.file;
  const { db, close } = await openDatabase(config);
  try {
    const emails = (await db.select({ email: users.email }).from(users)).map((u) => u.email);
    const demo = new Set(DEMO_ACCOUNTS.map((a) => a.email));
    if (emails.length > 0) {
      if (reuse && emails.length === demo.size && emails.every((e) => demo.has(e))) {
        console.log(`The database (${where}) already holds the demo: serving it as it is.`);
        return;
      }
      throw new Error(
        `The database (${where}) already holds other data (${emails.length} account${emails.length === 1 ? '' : 's'}): ` +
          'the demo seeds only an empty database. Point DATABASE_URL (or DATABASE_PATH) at an empty one.',
      );
    }
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
