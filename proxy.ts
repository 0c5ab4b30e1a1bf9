// Runs before every request (but static files). Three jobs, none of them authorisation (every
// page, action and route handler checks the session and role itself, next to the data):
// 1. security headers on every answer, with a fresh CSP nonce for each page's scripts;
// 2. server-action posts that cannot be honest are answered here with a 4xx, not a 500: a body
//    over 1 MB (413), a post from another origin (403), arguments that cannot be decoded (400);
// 3. visitors without a session cookie are sent to the sign-in page (a convenience).
import { NextResponse, type NextRequest } from 'next/server';

/** RFC 8058 one-click unsubscribe: posted by mail providers, with no session and no Origin. */
const ONE_CLICK = /^\/unsubscribe\/one-click$/;
const PUBLIC = [/^\/sign-in$/, /^\/sign-up$/, /^\/invite\//, /^\/auth-error$/, /^\/api\//, /^\/unsubscribe$/, ONE_CLICK];
/** The largest server-action body taken: forms here are a few kilobytes; Next's own limit is 1 MB. */
const ACTION_BODY_LIMIT = 1024 * 1024;

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The single sign-on provider's origin, when one is configured: the sign-in form posts to this
 * site, which redirects to the provider, and browsers apply form-action to that redirect too.
 */
function ssoOrigin(): string | null {
  try {
    return process.env.OIDC_ISSUER ? new URL(process.env.OIDC_ISSUER.trim()).origin : null;
  } catch {
    return null; // refused at start (server/env.ts)
  }
}
const SSO_ORIGIN = ssoOrigin();

/** The Content-Security-Policy: scripts only with this request's nonce, no framing, no plugins. */
export function contentSecurityPolicy(scriptNonce: string, formTarget: string | null = SSO_ORIGIN): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${scriptNonce}' 'strict-dynamic'`,
    // Inline style attributes (charts, layout) carry no script; a nonce cannot cover them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    formTarget ? `form-action 'self' ${formTarget}` : "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function withSecurityHeaders(response: NextResponse, request: NextRequest, csp: string): NextResponse {
  const h = response.headers;
  h.set('content-security-policy', csp);
  h.set('x-content-type-options', 'nosniff');
  h.set('x-frame-options', 'DENY');
  h.set('referrer-policy', 'strict-origin-when-cross-origin');
  h.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
  h.set('cross-origin-opener-policy', 'same-origin');
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  if (https) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  return response;
}

/** A plain-text refusal, with the request id (server/request-log.ts) for a report. */
function refuse(request: NextRequest, status: number, message: string): NextResponse {
  const id = request.headers.get('x-request-id');
  return new NextResponse(id ? `${message} (Request id ${id}.)` : message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/**
 * A server-action call whose arguments cannot be decoded (React's encoding: a JSON text body,
 * or multipart parts named by number holding JSON). Next would answer those with a 500.
 */
async function malformedActionBody(request: NextRequest): Promise<boolean> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('text/plain')) {
      JSON.parse(await request.clone().text());
    } else if (type.startsWith('multipart/form-data')) {
      const form = await request.clone().formData();
      for (const [name, value] of form.entries()) if (/^\d+$/.test(name) && typeof value === 'string') JSON.parse(value);
    }
    return false;
  } catch {
    return true;
  }
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const scriptNonce = nonce();
  const csp = contentSecurityPolicy(scriptNonce);

  // Server actions post to pages (the JSON API checks its own bodies).
  if (request.method === 'POST' && !pathname.startsWith('/api/')) {
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > ACTION_BODY_LIMIT) {
      return withSecurityHeaders(refuse(request, 413, 'The form is too large to send (over 1 MB). Shorten it and try again.'), request, csp);
    }
    const origin = request.headers.get('origin');
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    // The one-click unsubscribe route is not a server action: its signed token is its only
    // authority, it can only turn that member's email off, and providers post from anywhere.
    if (origin && origin !== 'null' && !ONE_CLICK.test(pathname)) {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        /* malformed: refused below */
      }
      if (originHost !== host) return withSecurityHeaders(refuse(request, 403, 'This form was sent from another site and was refused.'), request, csp);
    }
    if (request.headers.has('next-action') && (await malformedActionBody(request))) {
      return withSecurityHeaders(refuse(request, 400, 'The form could not be read. Reload the page and try again.'), request, csp);
    }
  }

  if (!PUBLIC.some((re) => re.test(pathname)) && !request.headers.get('authorization')?.startsWith('Bearer ')) {
    const hasSession = request.cookies.getAll().some((c) => c.name.endsWith('authjs.session-token'));
    if (!hasSession) {
      const url = request.nextUrl.clone();
      url.pathname = '/sign-in';
      url.search = pathname === '/' ? '' : `?from=${encodeURIComponent(pathname + search)}`;
      return withSecurityHeaders(NextResponse.redirect(url), request, csp);
    }
  }

  // Next reads the nonce from the request's CSP header and puts it on its own scripts.
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  headers.set('x-nonce', scriptNonce);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), request, csp);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
