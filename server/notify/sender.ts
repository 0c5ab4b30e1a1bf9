// The sender: one run takes the lease (one sender at a time across instances), scans for
// stale-forecast and closing-soon reminders, then sends what is due from the outbox: emails at
// once or grouped into a member's daily or weekly digest (nodemailer over SMTP), and posts to
// the team webhook (Slack-compatible JSON {text}). Each delivery is marked sent once its
// message was accepted; a failure is retried with exponential backoff and given up after
// MAX_ATTEMPTS tries, with the last error kept for the lead. `npm run notify` runs it once;
// `npm start` runs it on a timer (server/notify/timer.ts).
import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '@/db';
import {
  loadDueDeliveries,
  markFailed,
  markSent,
  markSkipped,
  readTeamWebhookUrl,
  releaseLease,
  scanDueReminders,
  takeLease,
  takeTurn,
  readSenderWork,
  type DueDelivery,
} from '@/db/queries/outbox';
import { composeMail, digestPeriodStart } from './compose';
import { readMailConfig, siteUrl, type MailConfig } from './config';
import { signUnsubscribe } from './token';
import { checkWebhookUrl } from './webhook-url';

export const LEASE_NAME = 'notify';
export const LEASE_TTL_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 6;
export const SCAN_INTERVAL_MS = 15 * 60_000;
const SCAN_TURN = 'notify-scan';
/** 1, 2, 4, 8 minutes... before the next try. */
export const retryInMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

export interface SenderOptions {
  now?: number;
  /** Send every pending item now, digests included (npm run notify -- --now). */
  force?: boolean;
  /** Who holds the lease (default: this process). */
  holder?: string;
  env?: Record<string, string | undefined>;
  /** The SMTP settings (default: from env); null: email off. */
  mail?: MailConfig | null;
  fetchImpl?: typeof fetch;
  /** The reminder scan runs at most this often across instances (default 15 minutes; --now: always). */
  scanIntervalMs?: number;
  /** For tests: how a webhook host is resolved (default: DNS). */
  lookup?: (host: string) => Promise<string[]>;
}

export interface SenderResult {
  /** False when another instance holds the lease, or nothing was due: this run did nothing. */
  leased: boolean;
  /** Nothing was due (no delivery, no digest, no scan turn): the lease was not even taken. */
  idle: boolean;
  reminders: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Digest items left for their digest time. */
  waiting: number;
}

const processHolder = `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;

const transports = new Map<string, Transporter>();

/** One pooled transport per SMTP URL, with bounded timeouts (a hung server cannot hold the lease). */
function transportFor(mail: MailConfig): Transporter {
  let t = transports.get(mail.smtpUrl);
  if (!t) {
    const u = new URL(mail.smtpUrl);
    const secure = u.protocol === 'smtps:';
    t = nodemailer.createTransport({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    transports.set(mail.smtpUrl, t);
  }
  return t;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim() || 'Unknown error';

/** One run of the sender (see the top of this file). */
export async function runSender(db: Db, options: SenderOptions = {}): Promise<SenderResult> {
  const now = options.now ?? Date.now();
  const env = options.env ?? process.env;
  const holder = options.holder ?? processHolder;
  const result: SenderResult = { leased: false, idle: false, reminders: 0, sent: 0, failed: 0, skipped: 0, waiting: 0 };
  const mail = options.mail === undefined ? readMailConfig(env) : options.mail;
  // Reads first, writes only with work to do: idle instances on a timer write nothing.
  if (!options.force && !(await hasWork(db, now, mail !== null))) {
    result.idle = true;
    return result;
  }
  if (!(await takeLease(db, LEASE_NAME, holder, now, LEASE_TTL_MS))) return result;
  result.leased = true;
  try {
    const site = siteUrl(env);
    if (options.force || (await takeTurn(db, SCAN_TURN, now, options.scanIntervalMs ?? SCAN_INTERVAL_MS))) result.reminders = await scanDueReminders(db, now);
    // --now: every pending delivery, even one waiting for its next try.
    const due = await loadDueDeliveries(db, options.force ? Number.MAX_SAFE_INTEGER : now);
    // The rules again, at send time: nothing for a member deactivated since, nor about a
    // question a non-lead may no longer see.
    const ruledOut = due.filter((d) => !d.active || (d.questionStatus === 'draft' && d.role !== 'lead'));
    await markSkipped(db, ruledOut.map((d) => d.id), 'The recipient may no longer receive this (deactivated, or the question is a draft).');
    // An event retracted since (logged in error) is not mailed.
    const ruledOutIds = new Set(ruledOut.map((d) => d.id));
    const retracted = due.filter((d) => d.retracted && !ruledOutIds.has(d.id));
    await markSkipped(db, retracted.map((d) => d.id), 'The event was retracted.');
    result.skipped += ruledOut.length + retracted.length;
    const retractedIds = new Set(retracted.map((d) => d.id));
    const ok = due.filter((d) => !ruledOutIds.has(d.id) && !retractedIds.has(d.id));

    /** Renews the lease before each send; false when it was lost (another instance took over). */
    const stillHeld = () => takeLease(db, LEASE_NAME, holder, options.now ?? Date.now(), LEASE_TTL_MS);

    const send = async (ids: number[], attempt: () => Promise<void>, digest?: { userId: number; period: number }) => {
      if (!(await stillHeld())) throw new LeaseLost();
      try {
        await attempt();
      } catch (error) {
        await markFailed(db, ids, errorText(error), now, MAX_ATTEMPTS, retryInMs);
        result.failed += ids.length;
        return;
      }
      await markSent(db, ids, now, digest);
      result.sent += ids.length;
    };

    // Webhook posts.
    const posts = ok.filter((d) => d.channel === 'webhook');
    if (posts.length) {
      const url = await readTeamWebhookUrl(db);
      if (!url) {
        await markSkipped(db, posts.map((d) => d.id), 'No team webhook is set.');
        result.skipped += posts.length;
      } else {
        for (const d of posts) await send([d.id], () => postWebhook(url, `${d.body} ${d.link ? site + d.link : ''}`.trim(), env, options));
      }
    }

    // Emails.
    const mails = ok.filter((d) => d.channel === 'email');
    if (mails.length && !mail) {
      await markSkipped(db, mails.map((d) => d.id), 'Email is off: SMTP_URL is not set.');
      result.skipped += mails.length;
      return result;
    }
    const isOff = (d: DueDelivery) => d.choice === 'off' || !d.to;
    const offs = mails.filter(isOff);
    await markSkipped(db, offs.map((d) => d.id), 'The recipient turned email off.');
    result.skipped += offs.length;
    const byUser = new Map<string, DueDelivery[]>();
    for (const d of mails) {
      if (isOff(d)) continue;
      if (d.choice === 'immediate') {
        await send([d.id], () => sendMail(mail!, site, d.to!, [d], d.userId === null ? d.subject : undefined, 'immediate', d.userId, now, env.AUTH_SECRET));
        continue;
      }
      const k = String(d.userId);
      const list = byUser.get(k);
      if (list) list.push(d);
      else byUser.set(k, [d]);
    }
    for (const items of byUser.values()) {
      const first = items[0]!;
      const choice = first.choice as 'daily' | 'weekly';
      const period = digestPeriodStart(choice, now);
      if (!options.force && !items.some((d) => d.createdAt < period)) {
        result.waiting += items.length;
        continue;
      }
      await send(
        items.map((d) => d.id),
        () => sendMail(mail!, site, first.to!, items, undefined, choice, first.userId, now, env.AUTH_SECRET),
        { userId: first.userId!, period },
      );
    }
    return result;
  } catch (error) {
    if (error instanceof LeaseLost) return result;
    throw error;
  } finally {
    await releaseLease(db, LEASE_NAME, holder);
  }
}

class LeaseLost extends Error {}

/**
 * Whether a run would do anything: the reminder scan's turn has come, or a delivery is due (a
 * digest item only once its member's digest time has passed, as the run decides below; with
 * email off, any pending email, which the run marks skipped).
 */
async function hasWork(db: Db, now: number, mailOn: boolean): Promise<boolean> {
  const work = await readSenderWork(db, now, SCAN_TURN);
  if (work.scanAt === null || work.scanAt <= now) return true;
  return work.due.some((d) => !mailOn || (d.choice !== 'daily' && d.choice !== 'weekly') || d.oldest < digestPeriodStart(d.choice, now));
}

async function sendMail(mail: MailConfig, site: string, to: string, items: readonly DueDelivery[], subject: string | undefined, choice: string, userId: number | null, now: number, secret: string | undefined): Promise<void> {
  const unsubscribeUrl = userId === null ? null : `${site}/unsubscribe?token=${signUnsubscribe(userId, now, secret)}`;
  const composed = composeMail({ site, items: items.map((d) => ({ text: d.body, link: d.link })), subject, choice, unsubscribeUrl });
  const host = new URL(site).hostname || 'signpost';
  await transportFor(mail).sendMail({
    from: mail.from,
    to,
    subject: composed.subject,
    text: composed.text,
    html: composed.html,
    headers: composed.headers,
    // The same deliveries always make the same Message-ID, so a receiver can drop a repeat.
    messageId: `<signpost-${items.map((d) => d.id).join('-')}@${host}>`,
  });
}

async function postWebhook(url: string, text: string, env: Record<string, string | undefined>, options: SenderOptions): Promise<void> {
  // Checked again before each post: the name may resolve elsewhere than when it was saved.
  await checkWebhookUrl(url, { env, lookup: options.lookup });
  const res = await (options.fetchImpl ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status < 200 || res.status >= 300) {
    const detail = (await res.text().catch(() => '')).slice(0, 200);
    throw new Error(`The webhook answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
}

/** Closes the pooled SMTP connections (scripts and tests, at the end). */
export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}
