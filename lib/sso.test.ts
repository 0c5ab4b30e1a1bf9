import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSsoIdentity } from './sso';

test('only a verified email signs in, lower-cased as accounts store it', () => {
  assert.deepEqual(readSsoIdentity({ sub: '1', email: ' Ana@Example.ORG ', email_verified: true, name: 'Ana Lima' }), {
    ok: true,
    identity: { email: 'ana@example.org', name: 'Ana Lima' },
  });
  // Anything but the boolean true is unverified: absent, false, the string "true".
  for (const email_verified of [undefined, false, 'true', 1, null]) {
    assert.deepEqual(readSsoIdentity({ email: 'ana@example.org', email_verified }), { ok: false, reason: 'unverified' }, String(email_verified));
  }
  for (const email of [undefined, '', 'not-an-email', 42, `${'a'.repeat(250)}@x.org`]) {
    assert.deepEqual(readSsoIdentity({ email, email_verified: true }), { ok: false, reason: 'no_email' }, String(email));
  }
});

test('the new account name falls back from name to given and family names to the email', () => {
  const name = (claims: Record<string, unknown>) => {
    const r = readSsoIdentity({ email: 'dara.k@example.org', email_verified: true, ...claims });
    assert.ok(r.ok);
    return r.identity.name;
  };
  assert.equal(name({ name: '  Dara   Khan ' }), 'Dara Khan');
  assert.equal(name({ name: '', given_name: 'Dara', family_name: 'Khan' }), 'Dara Khan');
  assert.equal(name({ given_name: 'Dara' }), 'Dara');
  assert.equal(name({ preferred_username: 'dkhan' }), 'dkhan');
  assert.equal(name({}), 'dara.k');
  // Invisible formatting characters are dropped, as from any typed name (lib/text.ts).
  assert.equal(name({ name: 'Da\u200Bra\u202E' }), 'Dara');
  assert.equal(name({ name: 'x'.repeat(150) }).length, 100);
});
