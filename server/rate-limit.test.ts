import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_EMAIL,
  clientAddress,
  describeRetry,
  recordSignInFailure,
  recordSignInSuccess,
  signInRetryAfter,
} from './rate-limit';

test('clientAddress trusts the last X-Forwarded-For hop, not the client-written first one', () => {
  assert.equal(clientAddress(new Headers({ 'x-forwarded-for': '6.6.6.6, 10.0.0.7' })), '10.0.0.7');
  assert.equal(clientAddress(new Headers({ 'x-forwarded-for': '127.0.0.1' })), '127.0.0.1');
  assert.equal(clientAddress(new Headers({ 'x-real-ip': '10.1.1.1' })), '10.1.1.1');
  assert.equal(clientAddress(new Headers()), 'unknown');
});

test('failed sign-ins are limited per email, and a success resets the email count', async () => {
  const email = `limit-${Math.random()}@example.org`;
  for (let i = 0; i < SIGN_IN_FAILURES_PER_EMAIL - 1; i++) await recordSignInFailure(email, `addr-${i}`);
  assert.equal(await signInRetryAfter(email, 'addr-x'), 0);
  await recordSignInFailure(email, 'addr-last');
  const wait = await signInRetryAfter(email, 'addr-new');
  assert.ok(wait > 14 * 60 && wait <= 15 * 60, `retry after ${wait}s`);
  await recordSignInSuccess(email);
  assert.equal(await signInRetryAfter(email, 'addr-new'), 0);
});

test('failed sign-ins are limited per address across emails', async () => {
  const addr = `addr-${Math.random()}`;
  for (let i = 0; i < SIGN_IN_FAILURES_PER_ADDRESS; i++) await recordSignInFailure(`user${i}-${addr}@example.org`, addr);
  assert.ok((await signInRetryAfter('fresh@example.org', addr)) > 0);
  assert.equal(await signInRetryAfter('fresh@example.org', `${addr}-other`), 0);
});

test('describeRetry speaks in seconds under 90 s and in minutes above', () => {
  assert.equal(describeRetry(45), '45 seconds');
  assert.equal(describeRetry(899), '15 minutes');
});
