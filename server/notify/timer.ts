// The sender on a timer, started with the server (instrumentation-node.ts): every
// NOTIFY_INTERVAL_SECONDS (default 60; 0 turns the timer off, for a deployment that runs
// `npm run notify` from cron instead). Each tick is one runSender; instances share the lease.
import type { Db } from '@/db';
import { readMailConfig } from './config';
import { runSender } from './sender';
import { log as logger } from '../log';

export function notifyIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.NOTIFY_INTERVAL_SECONDS?.trim();
  if (!raw) return 60_000;
  if (!/^\d{1,6}$/.test(raw)) throw new Error(`NOTIFY_INTERVAL_SECONDS must be a whole number of seconds (0 turns the sender's timer off), got "${raw}".`);
  return Number(raw) * 1000;
}

/**
 * Checks the notification settings (a bad SMTP_URL stops the start with a clear line), says
 * once whether email is on, and starts the timer. Returns a function that stops it.
 */
export function startNotifyTimer(getDb: () => Promise<Db>, log: (line: string) => void = console.log): () => void {
  const mail = readMailConfig();
  const every = notifyIntervalMs();
  log(mail ? `[signpost] Email notifications are on (SMTP ${new URL(mail.smtpUrl).host}, from ${mail.from}).` : '[signpost] Email notifications are off: SMTP_URL is not set. The bell works.');
  if (every === 0) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runSender(await getDb(), { mail });
    } catch (error) {
      logger().error({ err: error }, 'the notification sender failed; it tries again on the next tick');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), every);
  timer.unref();
  const first = setTimeout(() => void tick(), Math.min(every, 5_000));
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
