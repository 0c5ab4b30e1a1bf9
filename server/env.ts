// The request edge's settings, read and checked in one place. Server-only.

/** The message shown when a production server starts without a secret; scripts use it too. */
export const MISSING_SECRET_MESSAGE =
  'AUTH_SECRET is not set. Signpost signs its session cookies with it and will not start without it ' +
  'in production. Generate one with `openssl rand -base64 32` and set AUTH_SECRET (see README.md).';

export class EdgeConfigError extends Error {}

/**
 * How many reverse proxies in front of the app append to X-Forwarded-For (TRUST_PROXY_HOPS,
 * default 0: none, the connection's own address is the client's).
 */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRUST_PROXY_HOPS?.trim();
  if (!raw) return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 10) throw new EdgeConfigError(`TRUST_PROXY_HOPS must be a whole number from 0 to 10 (the proxies in front of the app), got "${raw}".`);
  return Number(raw);
}

/** Checks every edge setting at start, so a bad one stops the server with a clear line. */
export function checkEdgeEnv(env: Record<string, string | undefined> = process.env): void {
  trustedProxyHops(env);
  oidcConfig(env);
  passwordSignInEnabled(env);
}

/** Single sign-on through an OpenID Connect provider, as configured (see README "Single sign-on"). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's text: "Sign in with <label>". */
  label: string;
}

const OIDC_VARS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_LABEL'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const OIDC_LABEL_MAX = 40;

/**
 * The single sign-on settings, or null when none is set. All four variables or none: a partial
 * set is a mistake worth stopping the start for, not a silently missing button. The issuer must
 * be an https URL (plain http only on a loopback host, for a provider on the same machine).
 */
export function oidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const values = Object.fromEntries(OIDC_VARS.map((k) => [k, env[k]?.trim() ?? ''])) as Record<(typeof OIDC_VARS)[number], string>;
  const set = OIDC_VARS.filter((k) => values[k] !== '');
  if (set.length === 0) return null;
  if (set.length < OIDC_VARS.length) {
    const missing = OIDC_VARS.filter((k) => values[k] === '');
    throw new EdgeConfigError(
      `Single sign-on is half configured: ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not. ` +
        `Set all of ${OIDC_VARS.join(', ')} to turn single sign-on on, or none of them to leave it off.`,
    );
  }
  let url: URL;
  try {
    url = new URL(values.OIDC_ISSUER);
  } catch {
    throw new EdgeConfigError(`OIDC_ISSUER must be the provider's issuer URL (e.g. https://login.example.org/realms/team), got "${values.OIDC_ISSUER}".`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new EdgeConfigError(`OIDC_ISSUER must be an https URL (plain http only on this machine: localhost or 127.0.0.1), got "${values.OIDC_ISSUER}".`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new EdgeConfigError(`OIDC_ISSUER must be the bare issuer URL, without a query, fragment or credentials, got "${values.OIDC_ISSUER}".`);
  }
  if (/\s/.test(values.OIDC_CLIENT_ID)) throw new EdgeConfigError('OIDC_CLIENT_ID must not contain spaces.');
  if (values.OIDC_LABEL.length > OIDC_LABEL_MAX || /[\p{Cc}\p{Cf}]/u.test(values.OIDC_LABEL)) {
    throw new EdgeConfigError(`OIDC_LABEL is the name on the sign-in button (e.g. "Acme login"): at most ${OIDC_LABEL_MAX} characters, no control characters.`);
  }
  return { issuer: values.OIDC_ISSUER, clientId: values.OIDC_CLIENT_ID, clientSecret: values.OIDC_CLIENT_SECRET, label: values.OIDC_LABEL };
}

/**
 * Whether people may sign in with a password (PASSWORD_SIGN_IN: "on", the default, or "off").
 * Off needs single sign-on, else nobody could sign in at all.
 */
export function passwordSignInEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env.PASSWORD_SIGN_IN?.trim().toLowerCase();
  if (!raw || raw === 'on') return true;
  if (raw !== 'off') throw new EdgeConfigError(`PASSWORD_SIGN_IN must be "on" or "off", got "${env.PASSWORD_SIGN_IN}".`);
  if (!oidcConfig(env)) {
    throw new EdgeConfigError('PASSWORD_SIGN_IN=off needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_LABEL): without either, nobody could sign in.');
  }
  return false;
}
