// Single sign-on and password settings: read and checked at start (server/env.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeConfigError, checkEdgeEnv, oidcConfig, passwordSignInEnabled } from './env';

const FULL = {
  OIDC_ISSUER: 'https://login.example.org/realms/team',
  OIDC_CLIENT_ID: 'signpost',
  OIDC_CLIENT_SECRET: 's3cret',
  OIDC_LABEL: 'Example login',
};

test('single sign-on is off when no OIDC variable is set, and on with all four', () => {
  assert.equal(oidcConfig({}), null);
  assert.equal(oidcConfig({ OIDC_ISSUER: '  ', OIDC_LABEL: '' }), null, 'blank counts as unset');
  assert.deepEqual(oidcConfig(FULL), { issuer: FULL.OIDC_ISSUER, clientId: 'signpost', clientSecret: 's3cret', label: 'Example login' });
  assert.deepEqual(oidcConfig({ ...FULL, OIDC_LABEL: '  Example login ' })?.label, 'Example login');
});

test('a partial single sign-on configuration stops the start and names what is missing', () => {
  for (const missing of Object.keys(FULL) as (keyof typeof FULL)[]) {
    const env: Record<string, string> = { ...FULL };
    delete env[missing];
    assert.throws(
      () => oidcConfig(env),
      (e: unknown) => e instanceof EdgeConfigError && e.message.includes(`but ${missing} is not`) && e.message.startsWith('Single sign-on is half configured'),
      missing,
    );
  }
  assert.throws(() => oidcConfig({ OIDC_LABEL: 'Acme' }), /OIDC_LABEL is set but OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET are not/);
});

test('the issuer must be an https URL, or http on this machine only', () => {
  assert.throws(() => oidcConfig({ ...FULL, OIDC_ISSUER: 'login.example.org' }), /OIDC_ISSUER must be the provider's issuer URL .* got "login.example.org"/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_ISSUER: 'http://login.example.org' }), /OIDC_ISSUER must be an https URL/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_ISSUER: 'ftp://login.example.org' }), /OIDC_ISSUER must be an https URL/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_ISSUER: 'https://login.example.org/?tenant=1' }), /without a query/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_ISSUER: 'https://user:pw@login.example.org' }), /without a query, fragment or credentials/);
  assert.equal(oidcConfig({ ...FULL, OIDC_ISSUER: 'http://127.0.0.1:4400' })?.issuer, 'http://127.0.0.1:4400');
  assert.equal(oidcConfig({ ...FULL, OIDC_ISSUER: 'http://localhost:4400/oidc' })?.issuer, 'http://localhost:4400/oidc');
});

test('the client id and the button label are checked', () => {
  assert.throws(() => oidcConfig({ ...FULL, OIDC_CLIENT_ID: 'sign post' }), /OIDC_CLIENT_ID must not contain spaces/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_LABEL: 'x'.repeat(41) }), /OIDC_LABEL .* at most 40 characters/);
  assert.throws(() => oidcConfig({ ...FULL, OIDC_LABEL: 'Acme\u202Elogin' }), /no control characters/);
  assert.equal(oidcConfig({ ...FULL, OIDC_LABEL: 'x'.repeat(40) })?.label.length, 40);
});

test('password sign-in is on unless PASSWORD_SIGN_IN=off, which needs single sign-on', () => {
  assert.equal(passwordSignInEnabled({}), true);
  assert.equal(passwordSignInEnabled({ PASSWORD_SIGN_IN: 'on' }), true);
  assert.equal(passwordSignInEnabled({ ...FULL, PASSWORD_SIGN_IN: 'off' }), false);
  assert.equal(passwordSignInEnabled({ ...FULL, PASSWORD_SIGN_IN: ' OFF ' }), false);
  assert.throws(() => passwordSignInEnabled({ PASSWORD_SIGN_IN: 'off' }), /PASSWORD_SIGN_IN=off needs single sign-on .* nobody could sign in/);
  assert.throws(() => passwordSignInEnabled({ ...FULL, PASSWORD_SIGN_IN: 'no' }), /PASSWORD_SIGN_IN must be "on" or "off", got "no"/);
});

test('the start-up check covers every edge setting', () => {
  assert.doesNotThrow(() => checkEdgeEnv({}));
  assert.doesNotThrow(() => checkEdgeEnv({ ...FULL, PASSWORD_SIGN_IN: 'off', TRUST_PROXY_HOPS: '1' }));
  assert.throws(() => checkEdgeEnv({ OIDC_ISSUER: FULL.OIDC_ISSUER }), EdgeConfigError);
  assert.throws(() => checkEdgeEnv({ PASSWORD_SIGN_IN: 'off' }), EdgeConfigError);
  assert.throws(() => checkEdgeEnv({ TRUST_PROXY_HOPS: 'x' }), EdgeConfigError);
});
