// RFC 8058 one-click unsubscribe: the URL in every email's List-Unsubscribe header, with
// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. A mail provider POSTs the body
// `List-Unsubscribe=One-Click` here, with no session and no Origin; the signed token in the URL
// (server/notify/token.ts) names the one member whose email is turned off, and that is all this
// route can do. The unsubscribe page's button posts here too (with `via=page`) and is sent back
// to the page, which then confirms. A GET never unsubscribes (mail scanners open links): it is
// sent to the page, which asks first. Answers are plain text: a forged, expired or malformed
// request is a 400 saying why, never a 500.
import { getDb } from '@/db';
import { unsubscribeMember } from '@/db/queries/notify';
import { trustedProxyHops } from '@/server/env';
import { verifyUnsubscribe } from '@/server/notify/token';

export const dynamic = 'force-dynamic';

const plain = (status: number, text: string) =>
  new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/** The unsubscribe page for this token (it asks, then confirms). */
const toPage = (request: Request, token: string | null) =>
  new Response(null, { status: 303, headers: { location: new URL(`/unsubscribe${token ? `?token=${encodeURIComponent(token)}` : ''}`, publicOrigin(request)).toString(), 'cache-control': 'no-store' } });

/**
 * The origin the visitor used, for the redirect: the Host header, and the forwarded host and
 * protocol only when TRUST_PROXY_HOPS says a proxy in front sets them (as for client addresses).
 */
function publicOrigin(request: Request): string {
  const url = new URL(request.url);
  const proxied = trustedProxyHops() > 0;
  const host = (proxied && request.headers.get('x-forwarded-host')) || request.headers.get('host') || url.host;
  const proto = (proxied && request.headers.get('x-forwarded-proto')) || url.protocol.replace(/:$/, '');
  return `${proto}://${host}`;
}

export function GET(request: Request): Response {
  return toPage(request, new URL(request.url).searchParams.get('token'));
}

export async function POST(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get('token');
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return plain(400, 'The request could not be read: send the form field List-Unsubscribe=One-Click (RFC 8058).');
  }
  const viaPage = form.get('via') === 'page';
  if (form.get('List-Unsubscribe') !== 'One-Click') return plain(400, 'The form field List-Unsubscribe=One-Click (RFC 8058) is missing.');
  const checked = verifyUnsubscribe(token, Date.now());
  if (!checked.ok) {
    if (viaPage) return toPage(request, token); // the page says why
    return plain(400, checked.reason === 'expired' ? 'This unsubscribe link has expired.' : 'This unsubscribe link is not valid.');
  }
  const done = await unsubscribeMember(await getDb(), checked.userId);
  if (viaPage) return toPage(request, token);
  return done ? plain(200, 'Unsubscribed: Signpost will send no more email to this member.') : plain(400, 'This unsubscribe link names no member.');
}
