// Auth.js configuration: Credentials provider (argon2id hashes in db/) and, when configured,
// single sign-on through an OpenID Connect provider (authorization code with PKCE and state);
// JWT sessions. The JWT carries the user id and a session id; every request checks that
// session in the database (db/queries/sessions.ts) and reads the role and active flag, so
// signing out, a demotion or a deactivation takes effect at once, on every instance, however
// the person signed in.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Auth } from '@auth/core';
import NextAuth, { CredentialsSignin, type NextAuthConfig, type Profile, type User } from 'next-auth';
import type { OIDCConfig } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import { headers } from 'next/headers';
import { getDb } from '@/db';
import { startSession } from '@/db/queries/sessions';
import { matchSsoIdentity, type SsoRefusal } from '@/db/queries/sso';
import { verifyCredentials } from '@/db/queries/users';
import { safeRedirectPath } from '@/lib/redirect';
import { signInSchema } from '@/lib/validation/auth';
import { log } from './log';
import { SessionCookieReader } from './session-cookie';
import { oidcConfig, passwordSignInEnabled } from './env';
import { clientAddress, recordSignInFailure, recordSignInSuccess, signInRetryAfter } from './rate-limit';

class InvalidCredentials extends CredentialsSignin {
  code = 'invalid_credentials';
}
class PasswordSignInOff extends CredentialsSignin {
  code = 'password_sign_in_off';
}
class RateLimited extends CredentialsSignin {
  constructor(seconds: number) {
    super();
    this.code = `rate_limited:${seconds}`;
  }
}

/** The provider id: the callback URL to register with the identity provider is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = 'oidc';

/** The auth-error page's code for each way single sign-on can refuse someone (app/(auth)/auth-error). */
export const SSO_ERROR_CODES: Record<SsoRefusal | 'rate_limited' | 'check' | 'failed', string> = {
  no_email: 'SsoNoEmail',
  unverified: 'SsoUnverified',
  uninvited: 'SsoUninvited',
  deactivated: 'SsoDeactivated',
  rate_limited: 'SsoRateLimited',
  check: 'SsoCheck',
  failed: 'SsoFailed',
};

const oidc = oidcConfig();

function oidcProvider(config: NonNullable<typeof oidc>): OIDCConfig<Profile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.label,
    type: 'oidc',
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    checks: ['pkce', 'state'],
    authorization: { params: { scope: 'openid email profile' } },
    // The ID token is still checked; the claims are read from the userinfo endpoint, where
    // every provider puts the email scope's claims (some leave them out of the ID token).
    idToken: false,
    profile: (claims) => ({ id: String(claims.sub), name: typeof claims.name === 'string' ? claims.name : null, email: typeof claims.email === 'string' ? claims.email : null }),
  };
}

/**
 * Decides a single sign-on (db/queries/sso.ts has the account rule): true with `user` made
 * into the Signpost account and a fresh database session, or the path of the page that says
 * why not. Refusals count against the sign-in limits as wrong passwords do.
 */
async function decideSso(user: User, claims: Record<string, unknown>): Promise<true | string> {
  const h = await headers();
  const address = clientAddress(h);
  const claimed = typeof claims.email === 'string' && claims.email.trim() ? claims.email.trim().toLowerCase().slice(0, 254) : '(no email)';
  const wait = await signInRetryAfter(claimed, address);
  if (wait > 0) return `/auth-error?error=${SSO_ERROR_CODES.rate_limited}&retry=${wait}`;
  const db = await getDb();
  const outcome = await matchSsoIdentity(db, claims);
  if (!outcome.ok) {
    await recordSignInFailure(outcome.email ?? claimed, address);
    return `/auth-error?error=${SSO_ERROR_CODES[outcome.reason]}`;
  }
  await recordSignInSuccess(outcome.user.email, address);
  const sessionId = await startSession(db, outcome.user.id, h.get('user-agent') ?? '');
  // Auth.js hands this same object to the jwt callback below.
  Object.assign(user, { id: String(outcome.user.id), name: outcome.user.name, email: outcome.user.email, sessionId });
  return true;
}

// Which Auth.js error a request met, so that the OIDC callback's failures can be told apart
// (Auth.js reports them all as "Configuration"): see `handlers` below.
const requestErrors = new AsyncLocalStorage<{ type?: string; cause?: string }>();

const config: NextAuthConfig = {
  secret: process.env.AUTH_SECRET,
  // Signpost is self-hosted behind the operator's own proxy; AUTH_URL pins the origin if set.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/auth-error' },
  logger: {
    error(error) {
      const type = (error as { type?: string }).type;
      const store = requestErrors.getStore();
      if (store) {
        store.type = type;
        store.cause = String((error as { cause?: { err?: unknown } }).cause?.err ?? (error as { cause?: unknown }).cause ?? '');
      }
      // A wrong password is an expected outcome, not a server error worth a stack trace; a
      // failed single sign-on check (state, PKCE) is worth one line.
      if (type === 'CredentialsSignin') return;
      if (type === 'InvalidCheck' || type === 'OAuthCallbackError') {
        log().warn({ type, message: error.message }, 'Auth.js check failed');
        return;
      }
      log().error({ err: error }, 'Auth.js error');
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        if (!passwordSignInEnabled()) throw new PasswordSignInOff();
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const address = clientAddress(request.headers);
        const wait = await signInRetryAfter(email, address);
        if (wait > 0) throw new RateLimited(wait);
        const user = await verifyCredentials(await getDb(), email, password);
        if (!user) {
          await recordSignInFailure(email, address);
          throw new InvalidCredentials();
        }
        await recordSignInSuccess(email, address);
        const sessionId = await startSession(await getDb(), user.id, request.headers.get('user-agent') ?? '');
        return { id: String(user.id), name: user.name, email: user.email, sessionId };
      },
    }),
    ...(oidc ? [oidcProvider(oidc)] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      return decideSso(user, (profile ?? {}) as Record<string, unknown>);
    },
    // After signing in, only a path on this origin (lib/redirect.ts), whoever names it.
    redirect({ url, baseUrl }) {
      if (url.startsWith('/')) return `${baseUrl}${safeRedirectPath(url)}`;
      try {
        const u = new URL(url);
        if (u.origin === baseUrl) return `${baseUrl}${safeRedirectPath(u.pathname + u.search + u.hash)}`;
      } catch {
        /* not a URL: the default below */
      }
      return `${baseUrl}${safeRedirectPath(null)}`;
    },
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = (user as { sessionId?: string }).sessionId;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return Object.assign(session, { sid: typeof token.sid === 'string' ? token.sid : null });
    },
  },
};

// NextAuth fills in the configuration's defaults (base path, secret) on `config` itself.
export const { signIn, signOut } = NextAuth(config);

/**
 * Reads this server's session cookies with the secret Auth.js was given (server/session-cookie.ts
 * says why not through auth()).
 */
export const sessionCookies = new SessionCookieReader(config.secret);

/**
 * Auth.js's route handler, with two changes: the request is addressed to the public origin
 * (onPublicOrigin, below), and a failed OIDC callback is sent to a page that says what
 * happened. A missing, expired or altered state or PKCE check (the sign-in was
 * started elsewhere, took too long, or was tampered with) becomes "SsoCheck"; any other
 * failure to use the provider's answer "SsoFailed", instead of Auth.js's "Configuration".
 */
async function handle(incoming: Request): Promise<Response> {
  const request = onPublicOrigin(incoming);
  const store: { type?: string; cause?: string } = {};
  const response = await requestErrors.run(store, () => Auth(request, config));
  const path = new URL(request.url).pathname;
  const location = response.headers.get('location');
  if (!store.type || !location || !path.endsWith(`/callback/${OIDC_PROVIDER_ID}`)) return response;
  const target = new URL(location, request.url);
  if (target.searchParams.get('error') !== 'Configuration') return response;
  const checkFailed = store.type === 'InvalidCheck' || (store.type === 'CallbackRouteError' && /state/i.test(store.cause ?? ''));
  target.searchParams.set('error', checkFailed ? SSO_ERROR_CODES.check : SSO_ERROR_CODES.failed);
  const headers = new Headers(response.headers);
  headers.set('location', target.toString());
  return new Response(response.body, { status: response.status, headers });
}

/**
 * The request as a plain Request addressed to the public origin: AUTH_URL's, else the one the
 * Host (or a proxy's X-Forwarded-Host) names, as Auth.js's server-side signIn works it out.
 * next-auth's own handlers pass a NextRequest, whose URL Next rewrites from 127.0.0.1 or ::1
 * to "localhost"; Auth.js builds the OIDC redirect_uri from it, so the code exchange would
 * name another redirect_uri than the authorization request did, and the provider refuses it.
 */
function onPublicOrigin(request: Request): Request {
  const url = new URL(request.url);
  let origin: string;
  try {
    const env = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    const proto = (request.headers.get('x-forwarded-proto') ?? url.protocol).replace(/:$/, '');
    origin = env ? new URL(env).origin : host ? new URL(`${proto}://${host}`).origin : url.origin;
  } catch {
    return request;
  }
  return new Request(`${origin}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    duplex: 'half',
  } as RequestInit);
}

/** The route handlers of app/api/auth/[...nextauth]. */
export const handlers = { GET: handle, POST: handle };

/** Single sign-on as configured, for the pages: the button's label, or null when off. */
export const ssoLabel = (): string | null => oidc?.label ?? null;
