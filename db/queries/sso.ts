// Single sign-on: which account, if any, a person the identity provider vouches for signs in
// to. The rule, in order:
// 1. the claims must carry an email the provider has verified (lib/sso.ts);
// 2. an active account with that email: that account;
// 3. a deactivated account with that email: refused;
// 4. no account, but an open invite for exactly that email: an account with the invite's
//    role, the invite spent (db/queries/invites.ts joinWithVerifiedEmail);
// 5. anyone else: refused, and no account is made.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/types';
import { users } from '@/db/schema';
import { readSsoIdentity, type SsoClaimsRefusal } from '@/lib/sso';
import type { Actor } from './access';
import { joinWithVerifiedEmail } from './invites';

export type SsoRefusal = SsoClaimsRefusal | 'uninvited' | 'deactivated';

export type SsoOutcome =
  | { ok: true; user: Actor; joined: boolean }
  /** `email` is the verified or claimed address when there was one (for sign-in limits). */
  | { ok: false; reason: SsoRefusal; email: string | null };

export async function matchSsoIdentity(db: Db, claims: Record<string, unknown>, now = Date.now()): Promise<SsoOutcome> {
  const read = readSsoIdentity(claims);
  if (!read.ok) return { ok: false, reason: read.reason, email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase().slice(0, 254) || null : null };
  const { identity } = read;
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.email, identity.email));
  const found = row ? { user: { id: row.id, name: row.name, email: row.email, role: row.role }, joined: false, active: row.active } : await joinWithVerifiedEmail(db, identity, now);
  if (!found) return { ok: false, reason: 'uninvited', email: identity.email };
  if (!found.active) return { ok: false, reason: 'deactivated', email: identity.email };
  return { ok: true, user: found.user, joined: found.joined };
}
