// What Signpost takes from an OpenID Connect provider's claims about a person: a verified email
// (the only thing an account is matched on) and a name for a new account. Pure.
import { LIMITS, emailField } from './validation/common';
import { stripInvisible } from './text';

export interface SsoIdentity {
  /** Lower-cased, as accounts store it. */
  email: string;
  name: string;
}

/** Why a provider's answer cannot sign anyone in, before any account is looked at. */
export type SsoClaimsRefusal = 'no_email' | 'unverified';

/**
 * The verified email and a display name from OpenID Connect claims (ID token or userinfo,
 * OpenID Connect Core 1.0 section 5.1). The email counts only when `email_verified` is the
 * boolean true: an unverified address proves nothing about who owns it, so it could take over
 * the account of whoever has that address here.
 * @example readSsoIdentity({ email: 'Ana@Example.org', email_verified: true, name: 'Ana' })
 *   // { ok: true, identity: { email: 'ana@example.org', name: 'Ana' } }
 */
export function readSsoIdentity(claims: Record<string, unknown>): { ok: true; identity: SsoIdentity } | { ok: false; reason: SsoClaimsRefusal } {
  const email = emailField.safeParse(claims.email);
  if (!email.success) return { ok: false, reason: 'no_email' };
  if (claims.email_verified !== true) return { ok: false, reason: 'unverified' };
  return { ok: true, identity: { email: email.data, name: displayName(claims, email.data) } };
}

/** The claims' name, else given and family names, else the email's local part; clean and short. */
function displayName(claims: Record<string, unknown>, email: string): string {
  const text = (v: unknown) => (typeof v === 'string' ? stripInvisible(v).replace(/\s+/g, ' ').trim() : '');
  const candidates = [text(claims.name), [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' '), text(claims.preferred_username), email.split('@')[0]!];
  const name = candidates.find((c) => c.length > 0) ?? email;
  return [...name].slice(0, LIMITS.name).join('').trim();
}
