// Data survives upgrades: the server of the `upgrade` project started this build on a copy
// of a database made by the first release (scripts/e2e-server.mjs fixture), migrating it in
// place. Its JSON API must show what the first release's API showed (expected.json beside
// the database): the same questions, statuses, forecasts, team aggregates and scores.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURE_DIR = path.dirname(
  path.resolve(process.env.FIXTURE_DB || path.join(__dirname, '..', '..', 'shared', 'fixtures', 'release-553d44a', 'signpost.db')),
);
const EXPECTED = path.join(FIXTURE_DIR, 'expected.json');

interface ExpectedQuestion {
  id: number;
  title: string;
  status: string;
  forecastCount: number;
  detail: { question: { closesAt: string; aggregate: { method: { id: string }; probabilities: number[] | null; forecasterCount: number; methods: { id: string; probabilities: number[] | null }[] } | null } };
  forecasts: { id: number; user: { id: number }; createdAt: string; probabilities: number[] }[];
  scores: { outcome: { scenarioId: number }; forecasters: { userId: number; timeAveragedBrier: number | null; relativeBrier: number | null; coverage: number }[] } | null;
}

const close = (actual: readonly (number | null)[] | null, expected: readonly (number | null)[] | null, what: string) => {
  expect(actual === null, `${what}: null`).toBe(expected === null);
  if (actual === null || expected === null) return;
  expect(actual.length, `${what}: length`).toBe(expected.length);
  actual.forEach((x, i) => {
    if (expected[i] === null) expect(x, `${what}[${i}]`).toBeNull();
    else expect(Math.abs((x as number) - (expected[i] as number)), `${what}[${i}]: ${x} vs ${expected[i]}`).toBeLessThan(1e-9);
  });
};

test('a database from the first release migrates in place and shows the same forecasts, aggregates and scores', async ({ page }) => {
  test.skip(!fs.existsSync(EXPECTED), `The first release's database is not beside the repository (${FIXTURE_DIR}); set FIXTURE_DB to run this test.`);
  const expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8')) as { questions: ExpectedQuestion[] };
  expect(expected.questions.length).toBeGreaterThan(0);
  await signIn(page, 'lead@example.com');

  const list = await (await page.request.get('/api/v1/questions')).json();
  expect(list.questions.map((q: { id: number; title: string }) => [q.id, q.title]).sort()).toEqual(expected.questions.map((q) => [q.id, q.title]).sort());

  for (const want of expected.questions) {
    const res = await page.request.get(`/api/v1/questions/${want.id}`);
    expect(res.status()).toBe(200);
    const got = (await res.json()).question;
    // 'closed' is derived from the clock: an open question past its closing time reads closed.
    const wantStatus = want.status === 'open' && Date.now() >= Date.parse(want.detail.question.closesAt) ? 'closed' : want.status;
    expect(got.status, `status of question ${want.id}`).toBe(wantStatus);
    expect(got.forecastCount, `forecast count of question ${want.id}`).toBe(want.forecastCount);
    // Migration 0006 gave every question the tuned skill defaults (docs/formulas.md#tuned-skill-defaults).
    expect(got.skillSettings, `skill settings of question ${want.id}`).toEqual({ priorCount: 20, temperature: 0.05 });
    const agg = want.detail.question.aggregate;
    if (agg) {
      expect(got.aggregate.method.id).toBe(agg.method.id);
      expect(got.aggregate.forecasterCount).toBe(agg.forecasterCount);
      close(got.aggregate.probabilities, agg.probabilities, `aggregate of question ${want.id}`);
      // Every other method too, but the skill-weighted ones: their weights were retuned on
      // purpose (docs/formulas.md#tuned-skill-defaults), so they move by design.
      for (const m of agg.methods.filter((x) => !x.id.endsWith('-skill'))) {
        close(got.aggregate.methods.find((x: { id: string }) => x.id === m.id)?.probabilities ?? null, m.probabilities, `${m.id} on question ${want.id}`);
      }
    }

    const forecasts = (await (await page.request.get(`/api/v1/questions/${want.id}/forecasts`)).json()).forecasts as ExpectedQuestion['forecasts'];
    expect(forecasts.map((f) => [f.id, f.user.id, f.createdAt])).toEqual(want.forecasts.map((f) => [f.id, f.user.id, f.createdAt]));
    forecasts.forEach((f, i) => close(f.probabilities, want.forecasts[i]!.probabilities, `forecast ${f.id}`));

    const scores = await page.request.get(`/api/v1/questions/${want.id}/scores`);
    if (!want.scores) {
      expect(scores.status()).toBe(409);
      continue;
    }
    const s = await scores.json();
    expect(s.outcome.scenarioId).toBe(want.scores.outcome.scenarioId);
    expect(s.forecasters.map((f: { userId: number }) => f.userId).sort()).toEqual(want.scores.forecasters.map((f) => f.userId).sort());
    for (const f of want.scores.forecasters) {
      const g = s.forecasters.find((x: { userId: number }) => x.userId === f.userId);
      close([g.timeAveragedBrier, g.relativeBrier, g.coverage], [f.timeAveragedBrier, f.relativeBrier, f.coverage], `scores of user ${f.userId} on question ${want.id}`);
    }
  }
});
