// The single sign-on account rule (db/queries/sso.ts), on SQLite and, through
// `npm run test:postgres`, on PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import { createInvite, revokeInvite } from './queries/invites';
import { matchSsoIdentity } from './queries/sso';
import { changePassword } from './queries/sessions';
import { NO_PASSWORD, hasPassword, setMemberActive, verifyCredentials } from './queries/users';
import { auditLog, invites, users } from './schema';
import { DAY, T0, addUser, freshDb, freshDbPair } from './test-helpers';
import type { Db } from './types';

const verified = (email: string, extra: Record<string, unknown> = {}) => ({ sub: `sub-${email}`, email, email_verified: true, ...extra });
const userCount = async (db: Db) => (await db.select({ n: count() }).from(users))[0]!.n;

test('a verified email that matches an active account signs in to it, whatever its case', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const ana = await addUser(db, 'Ana', 'forecaster');
  const before = await userCount(db);
  assert.deepEqual(await matchSsoIdentity(db, verified('ana@test.example')), { ok: true, user: ana, joined: false });
  assert.deepEqual(await matchSsoIdentity(db, verified('ANA@Test.Example', { name: 'Someone Else' })), { ok: true, user: ana, joined: false });
  assert.equal(await userCount(db), before, 'no account made');
  // The provider's name does not rename the account.
  assert.equal((await db.select({ name: users.name }).from(users).where(eq(users.id, ana.id)))[0]!.name, 'Ana');
  assert.deepEqual(await matchSsoIdentity(db, verified('lead@test.example')), { ok: true, user: lead, joined: false });
});

test('an unverified or missing email signs nobody in, not even the account with that email', async () => {
  const db = await freshDb();
  await addUser(db, 'Ana', 'forecaster');
  assert.deepEqual(await matchSsoIdentity(db, { sub: '1', email: 'ana@test.example', email_verified: false }), { ok: false, reason: 'unverified', email: 'ana@test.example' });
  assert.deepEqual(await matchSsoIdentity(db, { sub: '1', email: 'ana@test.example' }), { ok: false, reason: 'unverified', email: 'ana@test.example' });
  assert.deepEqual(await matchSsoIdentity(db, { sub: '1', email_verified: true }), { ok: false, reason: 'no_email', email: null });
});

test('a deactivated account is refused', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const ben = await addUser(db, 'Ben', 'forecaster');
  await setMemberActive(db, lead, ben.id, false, T0);
  assert.deepEqual(await matchSsoIdentity(db, verified('ben@test.example')), { ok: false, reason: 'deactivated', email: 'ben@test.example' });
});

test('an open invite for the email makes an account with its role, spends it once, and is audited', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const inv = await createInvite(db, lead, { role: 'viewer', email: 'new@example.org', expiresInDays: 7 }, T0);
  const before = await userCount(db);
  const first = await matchSsoIdentity(db, verified('New@Example.org', { name: 'New Person' }), T0 + DAY);
  assert.ok(first.ok);
  assert.equal(first.joined, true);
  assert.deepEqual({ name: first.user.name, email: first.user.email, role: first.user.role }, { name: 'New Person', email: 'new@example.org', role: 'viewer' });
  assert.equal(await userCount(db), before + 1);
  const [row] = await db.select().from(invites).where(eq(invites.id, inv.id));
  assert.equal(row!.usedAt, T0 + DAY);
  assert.equal(row!.usedBy, first.user.id);
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'invite.redeem_sso'));
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actorId, first.user.id);
  assert.equal(audit[0]!.entityId, inv.id);
  // Signing in again finds the account; nothing more is made or spent.
  assert.deepEqual(await matchSsoIdentity(db, verified('new@example.org'), T0 + 2 * DAY), { ok: true, user: first.user, joined: false });
  assert.equal(await userCount(db), before + 1);
  // The account has no password: no guess matches, Settings knows, and a change is refused.
  const [stored] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, first.user.id));
  assert.equal(stored!.hash, NO_PASSWORD);
  for (const guess of ['', 'signpost-demo', 'new@example.org', NO_PASSWORD]) assert.equal(await verifyCredentials(db, 'new@example.org', guess), null);
  assert.equal(await hasPassword(db, first.user), false);
  assert.equal(await hasPassword(db, lead), true);
  await assert.rejects(changePassword(db, first.user, { current: '', next: 'a-new-password-1234' }, null), /single sign-on and has no password/);
  const [after] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, first.user.id));
  assert.equal(after!.hash, NO_PASSWORD);
});

test('with two open invites for one email, the newest sets the role', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  await createInvite(db, lead, { role: 'viewer', email: 'two@example.org', expiresInDays: 7 }, T0);
  await createInvite(db, lead, { role: 'lead', email: 'two@example.org', expiresInDays: 7 }, T0 + 1000);
  const r = await matchSsoIdentity(db, verified('two@example.org'), T0 + DAY);
  assert.ok(r.ok);
  assert.equal(r.user.role, 'lead');
  assert.equal((await db.select().from(invites).where(eq(invites.email, 'two@example.org'))).filter((i) => i.usedAt !== null).length, 1);
});

test('no account is made without an open invite for exactly that email', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  // An invite link without an email is for whoever holds the link, not for any email.
  await createInvite(db, lead, { role: 'forecaster', email: null, expiresInDays: 7 }, T0);
  await createInvite(db, lead, { role: 'forecaster', email: 'other@example.org', expiresInDays: 7 }, T0);
  await createInvite(db, lead, { role: 'forecaster', email: 'late@example.org', expiresInDays: 1 }, T0);
  const revoked = await createInvite(db, lead, { role: 'forecaster', email: 'revoked@example.org', expiresInDays: 7 }, T0);
  await revokeInvite(db, lead, revoked.id, T0);
  const before = await userCount(db);
  for (const email of ['stranger@example.org', 'late@example.org', 'revoked@example.org']) {
    assert.deepEqual(await matchSsoIdentity(db, verified(email), T0 + 2 * DAY), { ok: false, reason: 'uninvited', email }, email);
  }
  assert.equal(await userCount(db), before);
  assert.equal((await db.select().from(invites)).filter((i) => i.usedAt !== null).length, 0, 'no invite spent');
  // An unverified email with an open invite does not spend it either.
  assert.deepEqual((await matchSsoIdentity(db, { sub: 'x', email: 'other@example.org', email_verified: false }, T0)).ok, false);
  assert.equal(await userCount(db), before);
});

test('two sign-ins of one invited person at once, on two instances: one account, one spent invite', async () => {
  const [a, b] = await freshDbPair();
  const lead = await addUser(a, 'Lead', 'lead');
  await createInvite(a, lead, { role: 'forecaster', email: 'twice@example.org', expiresInDays: 7 }, T0);
  await createInvite(a, lead, { role: 'viewer', email: 'twice@example.org', expiresInDays: 7 }, T0 - 1000);
  const results = await Promise.all([matchSsoIdentity(a, verified('twice@example.org'), T0), matchSsoIdentity(b, verified('twice@example.org'), T0)]);
  const ids = results.map((r) => (r.ok ? r.user.id : null));
  assert.ok(ids[0] !== null && ids[0] === ids[1], `both signed in to one account: ${JSON.stringify(results)}`);
  assert.deepEqual(results.map((r) => r.ok && r.joined).sort(), [false, true]);
  assert.equal((await a.select().from(users).where(eq(users.email, 'twice@example.org'))).length, 1);
  const spent = (await a.select().from(invites).where(eq(invites.email, 'twice@example.org'))).filter((i) => i.usedAt !== null);
  assert.equal(spent.length, 1);
  // The newer invite (forecaster) was the one spent.
  assert.equal(spent[0]!.role, 'forecaster');
});
