// The team webhook's URL is checked when a lead sets it and again before every post: https
// only in production, and no private, loopback or link-local address, neither written in the
// URL nor resolved from its name (so it cannot be pointed at the server's own network),
// unless WEBHOOK_ALLOW_PRIVATE=1 (tests).
import dns from 'node:dns/promises';
import net from 'node:net';
import { invalid } from '@/lib/errors';
import { allowPrivateWebhooks } from './config';

const blocked = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(a, p, 'ipv6');

/** True for an address a webhook must not reach (private, loopback, link-local, multicast...). */
export function isPrivateAddress(address: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4mapped) return blocked.check(v4mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface WebhookCheckOptions {
  env?: Record<string, string | undefined>;
  lookup?: (host: string) => Promise<string[]>;
}

const defaultLookup = async (host: string) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The URL, checked; throws a 400 naming the problem. */
export async function checkWebhookUrl(raw: string, options: WebhookCheckOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const text = raw.trim();
  const field = (message: string) => invalid(message, { url: [message] });
  if (!text) throw field('Enter the webhook URL.');
  if (text.length > 2000) throw field('That URL is too long (at most 2,000 characters).');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw field('That is not a URL: paste the incoming-webhook URL, starting with https://.');
  }
  const production = env.NODE_ENV === 'production';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production)) {
    throw field(production ? 'The webhook URL must start with https://.' : 'The webhook URL must start with https:// (or http:// outside production).');
  }
  if (url.username || url.password) throw field('The webhook URL must not carry a user name or password.');
  if (allowPrivateWebhooks(env)) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    if (isPrivateAddress(host)) throw field('The webhook URL points to a private or loopback address: it must be a public address.');
    return url.toString();
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) {
    throw field('The webhook URL points to this machine or a private network: it must be a public address.');
  }
  let addresses: string[];
  try {
    addresses = await (options.lookup ?? defaultLookup)(host);
  } catch {
    throw field(`The webhook host "${host}" could not be found.`);
  }
  if (addresses.length === 0) throw field(`The webhook host "${host}" could not be found.`);
  if (addresses.some(isPrivateAddress)) throw field(`The webhook host "${host}" resolves to a private or loopback address: it must be a public address.`);
  return url.toString();
}
