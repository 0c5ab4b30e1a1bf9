import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeRedirectPath } from './redirect';

test('after sign-in only a path on this origin is followed', () => {
  for (const ok of ['/questions/3', '/questions/3?team=2#team-forecasts', '/settings', '/']) assert.equal(safeRedirectPath(ok), ok);
  for (const bad of [
    '/\\evil.example/x',
    '/\t/evil.example/x',
    '/%09/evil.example/x'.replace('%09', '\t'),
    '//evil.example/x',
    '/\n/evil.example',
    'https://evil.example/x',
    'javascript:alert(1)',
    '\\\\evil.example',
    ' /questions',
    '',
    null,
    42,
  ]) {
    assert.equal(safeRedirectPath(bad), '/questions', JSON.stringify(bad));
  }
  // Encoded slashes stay a path on this origin.
  assert.equal(safeRedirectPath('/%2F%2Fevil.example'), '/%2F%2Fevil.example');
});
