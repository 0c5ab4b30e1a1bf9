// The Auth.js session cookie, read without Auth.js's session endpoint.
//
// next-auth's auth() reads a server request's session by running Auth.js's /session action: it
// decrypts the cookie (an HKDF key derivation and an A256CBC-HS512 decryption) and then
// encrypts a renewed one (another derivation, a cipher, a random id) whose Set-Cookie auth()
// throws away when called without a request (server components, actions, route handlers: see
// next-auth/lib/index.js). So the renewal never reached a browser, and the two ciphers were
// most of a bare page's cryptography. Here the cookie is decrypted with Auth.js's own decode, the
// same secret and salt, and the result is kept per exact cookie value until the token expires:
// a page view by someone already seen this week does no cryptography at all.
//
// What it gives is only the claims Signpost's callbacks put in the token (server/auth.ts: jwt
// puts the user id in `sub` and the session id in `sid`). Whether that session is still open,
// and the user active, is checked in the database on every request (db/queries/sessions.ts),
// exactly as before.
import { decode } from 'next-auth/jwt';

/** The claims of a valid session cookie. */
export interface SessionClaims {
  userId: string;
  sid: string | null;
}

/** Auth.js's name for the session cookie: with the __Secure- prefix when the site is on https. */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}authjs.session-token`;
}

/**
 * Whether Auth.js would use its secure cookie names for this request: it takes the origin from
 * AUTH_URL (or NEXTAUTH_URL) when set, else from X-Forwarded-Proto, else https (@auth/core's
 * createActionURL, and init's `useSecureCookies`).
 */
export function usesSecureCookies(forwardedProto: string | null, env: Record<string, string | undefined> = process.env): boolean {
  const url = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (url) {
    try {
      return new URL(url).protocol === 'https:';
    } catch {
      /* Auth.js would fail on it too; fall through to the header */
    }
  }
  const proto = forwardedProto ?? 'https';
  return (proto.endsWith(':') ? proto : `${proto}:`) === 'https:';
}

/**
 * The session token in these cookies: the cookie of that name, or its chunks (`name.0`,
 * `name.1`, ..., which Auth.js writes when a token is over 4 KB) joined in order, as Auth.js's
 * SessionStore reads them.
 */
export function sessionTokenOf(cookies: readonly { name: string; value: string }[], name: string): string | null {
  const chunks = cookies
    .filter((c) => c.name === name || (c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1))))
    .map((c) => ({ index: c.name === name ? -1 : Number(c.name.slice(name.length + 1)), value: c.value }))
    .sort((a, b) => a.index - b.index);
  const token = chunks.map((c) => c.value).join('');
  return token === '' ? null : token;
}

interface Kept {
  claims: SessionClaims;
  /** The token's expiry, seconds since the epoch. */
  exp: number;
}

/** jose's tolerance when it checks a token's expiry inside Auth.js's decode. */
const CLOCK_TOLERANCE_S = 15;
/** Decrypted cookies kept: one per signed-in browser that has been seen; each is a few hundred bytes. */
const KEPT_MAX = 5_000;

/**
 * Reads session cookies, keeping what each exact cookie value decrypted to until its token
 * expires. Only tokens that decrypt and verify are kept; a wrong, altered or expired one is
 * decrypted (and refused) every time, as before. One reader per secret.
 */
export class SessionCookieReader {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly secret: string | string[] | undefined,
    private readonly keptMax = KEPT_MAX,
  ) {}

  /** The claims of this request's session cookie, or null when there is none or it is not valid. */
  async read(cookies: readonly { name: string; value: string }[], secure: boolean, nowMs = Date.now()): Promise<SessionClaims | null> {
    const salt = sessionCookieName(secure);
    const token = sessionTokenOf(cookies, salt);
    if (!token) return null;
    const key = `${salt}\u0000${token}`;
    const nowS = nowMs / 1000;
    const hit = this.kept.get(key);
    if (hit) {
      this.kept.delete(key);
      if (nowS > hit.exp + CLOCK_TOLERANCE_S) return null;
      this.kept.set(key, hit); // most recently used last
      return hit.claims;
    }
    const secret = this.secret;
    if (secret === undefined || (Array.isArray(secret) && secret.length === 0) || secret === '') return null;
    let payload: Record<string, unknown> | null;
    try {
      payload = (await decode({ token, secret, salt })) as Record<string, unknown> | null;
    } catch {
      return null; // not ours, altered, or expired: Auth.js treats it as no session
    }
    if (!payload || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    const kept: Kept = { claims: Object.freeze({ userId: payload.sub, sid: typeof payload.sid === 'string' ? payload.sid : null }), exp: payload.exp };
    if (nowS > kept.exp + CLOCK_TOLERANCE_S) return null;
    this.kept.set(key, kept);
    if (this.kept.size > this.keptMax) this.kept.delete(this.kept.keys().next().value!);
    return kept.claims;
  }

  /** How many decrypted cookies are kept (for tests). */
  get size(): number {
    return this.kept.size;
  }
}
