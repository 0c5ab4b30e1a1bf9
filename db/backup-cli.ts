// `npm run backup -- <file> [--force]`: an online, consistent copy of the SQLite database at
// DATABASE_PATH (the app may keep serving), checked with integrity_check. See db/backup.ts.
import { readDbConfig } from './config';
import { BackupError, backupSqlite, megabytes, postgresInstructions } from './backup';

const USAGE = 'Usage: npm run backup -- <file> [--force]   (copies the database at DATABASE_PATH to <file>; --force replaces an existing file)';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const files = args.filter((a) => a !== '--force');
  const unknown = files.filter((a) => a.startsWith('--'));
  if (unknown.length > 0 || files.length !== 1) {
    console.error(unknown.length > 0 ? `Unknown option ${unknown.join(' ')}.\n${USAGE}` : USAGE);
    return 2;
  }
  const config = readDbConfig();
  if (config.engine === 'postgres') {
    console.error(postgresInstructions('backup', config.where, files[0]));
    return 1;
  }
  const r = await backupSqlite(config.file, files[0]!, { force });
  const forecasts = r.forecasts === null ? '' : `, ${r.forecasts.toLocaleString('en-US')} forecasts`;
  console.log(`Backed up ${r.source} to ${r.destination}: ${megabytes(r.bytes)}, ${Math.round(r.ms)} ms, integrity ok${forecasts}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const hint = e instanceof BackupError && /^No database at /.test(e.message) ? ' Set DATABASE_PATH to the database the app uses.' : '';
    console.error(`[signpost] ${e instanceof Error ? e.message : String(e)}${hint}`);
    process.exit(1);
  },
);
