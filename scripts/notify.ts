// `npm run notify`: sends what is due (for cron): reminders, emails at once and digests whose
// time has come, webhook posts. `npm run notify -- --now` sends every pending item at once,
// digests included. Another instance holding the sender's lease makes this run do nothing.
import { closeDb, getDb } from '../db';
import { readMailConfig } from '../server/notify/config';
import { closeTransports, runSender } from '../server/notify/sender';

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--now');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.join(' ')}: the only option is --now (send every pending item, digests included).`);
  const mail = readMailConfig();
  if (!mail) console.log('[signpost] Email is off: SMTP_URL is not set (pending emails are skipped; the bell works).');
  const r = await runSender(await getDb(), { mail, force: args.includes('--now') });
  if (r.idle) console.log('[signpost] notify: nothing is due.');
  else if (!r.leased) console.log('[signpost] Another instance is sending right now: nothing done.');
  else console.log(`[signpost] notify: ${r.sent} sent, ${r.failed} failed (retried later), ${r.skipped} skipped, ${r.waiting} waiting for their digest, ${r.reminders} new reminders.`);
}

main()
  .catch((error: unknown) => {
    console.error(`[signpost] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    closeTransports();
    await closeDb();
  });
