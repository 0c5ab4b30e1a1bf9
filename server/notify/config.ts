// The notification settings, read and checked in one place: SMTP_URL and MAIL_FROM (email on
// when both are set), the address links in emails point to, and WEBHOOK_ALLOW_PRIVATE.
import { z } from 'zod';

export class NotifyConfigError extends Error {}

export interface MailConfig {
  /** smtp://user:pass@host:587 or smtps://host:465 (nodemailer's URL form). */
  smtpUrl: string;
  from: string;
}

const addressSchema = z.string().trim().min(3).max(320);
// "Name <addr@host>" or "addr@host".
const FROM = /^(?:[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/;

/** The SMTP settings, null when email is off (SMTP_URL unset); throws on a bad setting. */
export function readMailConfig(env: Record<string, string | undefined> = process.env): MailConfig | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NotifyConfigError('SMTP_URL is not a URL: write it as smtp://user:password@host:587 or smtps://user:password@host:465.');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new NotifyConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//".`);
  }
  if (!url.hostname) throw new NotifyConfigError('SMTP_URL names no host: write it as smtp://user:password@host:587.');
  if (url.port && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) throw new NotifyConfigError(`SMTP_URL has an invalid port "${url.port}".`);
  const from = env.MAIL_FROM?.trim();
  if (!from) throw new NotifyConfigError('SMTP_URL is set but MAIL_FROM is not: set MAIL_FROM to the sender address, such as "Signpost <signpost@example.org>".');
  if (!addressSchema.safeParse(from).success || !FROM.test(from)) {
    throw new NotifyConfigError(`MAIL_FROM is not an email address: "${from}". Write it as signpost@example.org or "Signpost <signpost@example.org>".`);
  }
  if (!env.AUTH_SECRET) throw new NotifyConfigError('SMTP_URL is set but AUTH_SECRET is not: unsubscribe links are signed with it.');
  return { smtpUrl: raw, from };
}

/** Where links in emails and webhook posts point: APP_URL, else AUTH_URL, else this machine. */
export function siteUrl(env: Record<string, string | undefined> = process.env): string {
  const raw = (env.APP_URL || env.AUTH_URL || `http://localhost:${env.PORT || 3000}`).trim().replace(/\/+$/, '');
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return raw;
  } catch {
    throw new NotifyConfigError(`APP_URL must be the site's address, such as https://signpost.example.org, got "${raw}".`);
  }
}

/** True when private and loopback webhook addresses are allowed (tests only). */
export const allowPrivateWebhooks = (env: Record<string, string | undefined> = process.env) => env.WEBHOOK_ALLOW_PRIVATE === '1';
