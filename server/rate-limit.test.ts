import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PEER_HEADER } from './peer';
import {
  SIGN_IN_EMAIL_SLOWDOWN_AFTER,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_PAIR,
  clientAddress,
  describeRetry,
  emailCooldownSeconds,
  recordSignInFailure,
  recordSignInSuccess,
  signInRetryAfter,
} from './rate-limit';

const headers = (xff: string | null, peer = '192.0.2.9') => new Headers({ [PEER_HEADER]: peer, ...(xff === null ? {} : { 'x-forwarded-for': xff }) });
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;

test('the client address is the connection peer unless proxies are trusted, and a client cannot choose it', () => {
  assert.equal(clientAddress(headers('6.6.6.6, 7.7.7.7'), {}), '192.0.2.9', 'X-Forwarded-For ignored without TRUST_PROXY_HOPS');
  assert.equal(clientAddress(headers(null), {}), '192.0.2.9');
  assert.equal(clientAddress(new Headers(), {}), 'unknown');
  // One proxy appends the address it received from: the last entry.
  assert.equal(clientAddress(headers('6.6.6.6, 10.0.0.7'), { TRUST_PROXY_HOPS: '1' }), '10.0.0.7');
  // Two proxies: the second from the end; anything earlier was written by the client.
  assert.equal(clientAddress(headers('6.6.6.6, 10.0.0.7, 10.0.0.1'), { TRUST_PROXY_HOPS: '2' }), '10.0.0.7');
  assert.equal(clientAddress(headers('10.0.0.7'), { TRUST_PROXY_HOPS: '2' }), '10.0.0.7');
  assert.equal(clientAddress(headers(null), { TRUST_PROXY_HOPS: '1' }), '192.0.2.9');
  assert.throws(() => clientAddress(headers(null), { TRUST_PROXY_HOPS: 'two' }), /TRUST_PROXY_HOPS must be a whole number/);
});

test('failures are limited per email and address pair; another address keeps its chance', async () => {
  const email = `${unique('pair')}@example.org`;
  for (let i = 0; i < SIGN_IN_FAILURES_PER_PAIR - 1; i++) await recordSignInFailure(email, 'addr-a');
  assert.equal(await signInRetryAfter(email, 'addr-a'), 0);
  await recordSignInFailure(email, 'addr-a');
  const wait = await signInRetryAfter(email, 'addr-a');
  assert.ok(wait > 14 * 60 && wait <= 15 * 60, `retry after ${wait}s`);
  assert.equal(await signInRetryAfter(email, 'addr-b'), 0, 'the rightful user elsewhere is not locked out');
  await recordSignInSuccess(email, 'addr-a');
  assert.equal(await signInRetryAfter(email, 'addr-a'), 0);
});

test('failures are limited per address across emails', async () => {
  const addr = unique('addr');
  for (let i = 0; i < SIGN_IN_FAILURES_PER_ADDRESS; i++) await recordSignInFailure(`user${i}-${addr}@example.org`, addr);
  assert.ok((await signInRetryAfter('fresh@example.org', addr)) > 0);
  assert.equal(await signInRetryAfter('fresh@example.org', `${addr}-other`), 0);
});

test('failures on one email from many addresses slow down the addresses that failed, never a clean one', async () => {
  const email = `${unique('target')}@example.org`;
  for (let i = 0; i < SIGN_IN_EMAIL_SLOWDOWN_AFTER - 1; i++) await recordSignInFailure(email, `attacker-${i}`);
  assert.equal(await signInRetryAfter(email, 'attacker-0'), 0, 'no slow-down before the threshold');
  await recordSignInFailure(email, 'attacker-x');
  assert.equal(await signInRetryAfter(email, 'attacker-x'), 1, 'one second after the tenth failure');
  for (let i = 0; i < 4; i++) await recordSignInFailure(email, `attacker-y${i}`);
  assert.equal(await signInRetryAfter(email, 'attacker-x'), 16, 'doubling with each further failure');
  assert.equal(await signInRetryAfter(email, 'home-address'), 0, 'the rightful user from an address that has not failed');
  await recordSignInSuccess(email, 'home-address');
  assert.equal(await signInRetryAfter(email, 'attacker-x'), 0, 'a successful sign-in clears the slow-down');
  assert.deepEqual([9, 10, 11, 14, 30].map(emailCooldownSeconds), [0, 1, 2, 16, 900]);
});

test('describeRetry speaks in seconds under 90 s and in minutes above', () => {
  assert.equal(describeRetry(45), '45 seconds');
  assert.equal(describeRetry(1), '1 second');
  assert.equal(describeRetry(899), '15 minutes');
});
