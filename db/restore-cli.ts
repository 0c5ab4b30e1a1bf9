// `npm run restore -- <file> [--no-keep]`: replaces the SQLite database at DATABASE_PATH with
// a backup, with the app stopped. Checks the backup first (integrity_check, Signpost's
// tables), refuses while anything holds the database, keeps the previous database beside it
// unless --no-keep. The app applies newer migrations on its next start. See db/backup.ts.
import { readDbConfig } from './config';
import { megabytes, postgresInstructions, restoreSqlite } from './backup';

const USAGE = 'Usage: npm run restore -- <file> [--no-keep]   (with the app stopped; --no-keep drops the database being replaced)';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const keep = !args.includes('--no-keep');
  const files = args.filter((a) => a !== '--no-keep');
  const unknown = files.filter((a) => a.startsWith('--'));
  if (unknown.length > 0 || files.length !== 1) {
    console.error(unknown.length > 0 ? `Unknown option ${unknown.join(' ')}.\n${USAGE}` : USAGE);
    return 2;
  }
  const config = readDbConfig();
  if (config.engine === 'postgres') {
    console.error(postgresInstructions('restore', config.where, files[0]));
    return 1;
  }
  const r = await restoreSqlite(files[0]!, config.file, { keep });
  console.log(
    `Restored ${r.source} to ${r.target}: ${megabytes(r.bytes)}, ${Math.round(r.ms)} ms, integrity ok, ` +
      `${r.forecasts.toLocaleString('en-US')} forecasts, ${r.migrations} migration${r.migrations === 1 ? '' : 's'} recorded.`,
  );
  if (r.previous) console.log(`The database it replaced is kept as ${r.previous}.`);
  else if (r.replaced) console.log('The database it replaced was removed (--no-keep).');
  else console.log('There was no database there before.');
  console.log('Start the app: it applies any newer migrations on start.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[signpost] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
