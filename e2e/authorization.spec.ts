// Who may do what, as one table: every server action and every JSON API route, for someone
// signed out, a viewer, a forecaster and a lead, with the expected outcome, each checked by a
// forged request (a server-action call as React makes it, or a plain HTTP request), on a server
// of this spec's own. The table must list every action of the build and every API route of the
// source: a new one without a row fails here.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Db } from '../db/index';
import { logIndicatorEvent } from '../db/queries/events';
import { saveForecast } from '../db/queries/forecasts';
import { createInvite } from '../db/queries/invites';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { annulQuestion } from '../db/queries/resolution';
import { createApiToken } from '../db/queries/tokens';
import { hashPassword } from '../db/queries/users';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/index';
import { notificationSettings, notifications, users } from '../db/schema';
import { signUnsubscribe } from '../server/notify/token';
import type { Actor, Role } from '../lib/domain';
import { eventInputSchema } from '../lib/validation/indicator';
import { questionInputSchema } from '../lib/validation/question';
import { freePort } from '../bench/harness';
import { Jar, actionIds, callAction, signInOverHttp, startOwnServer, type OwnServer } from './own-server';

type Who = 'out' | Role;
const WHO: Who[] = ['out', 'viewer', 'forecaster', 'lead'];
const PASSWORD = 'matrix-password-0000';
/** The matrix server's AUTH_SECRET, to sign unsubscribe links as its emails would. */
const MATRIX_SECRET = 'matrix-auth-secret-0123456789abcdef';
const DAY = 86_400_000;

/** allow: it did what it does; deny: refused for who is asking; else the refusal code expected. */
type Outcome = 'allow' | 'deny' | 'conflict' | 'not_found';

async function seed(db: Db) {
  const now = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values(
        (
          [
            ['lead', 'lead'],
            ['forecaster', 'forecaster'],
            ['viewer', 'viewer'],
            ['member-a', 'forecaster'],
            ['member-b', 'forecaster'],
          ] as const
        ).map(([name, role]) => ({ email: `${name}@matrix.example`, name, role, passwordHash, createdAt: now })),
      )
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
  );
  const actor = (name: string): Actor => people.find((p) => p.name === name)! as Actor;
  const lead = actor('lead');
  const question = async (title: string, publish = true) => {
    const id = await createQuestion(
      db,
      lead,
      questionInputSchema.parse({
        title,
        resolutionCriteria: 'Matrix test.',
        opensAt: new Date(now - 10 * DAY).toISOString(),
        closesAt: new Date(now + 30 * DAY).toISOString(),
        scenarios: ['Yes', 'No'].map((name) => ({ name })),
        indicators: [{ name: 'Signal' }, { name: 'Other signal' }],
      }),
      now - 11 * DAY,
    );
    if (publish) await publishQuestion(db, lead, id, now - 10 * DAY);
    return getQuestionForUser(db, lead, id);
  };
  const open = await question('Open question');
  const toResolve = await question('To resolve');
  const toAnnul = await question('To annul');
  const draft = await question('A draft', false);
  const staysDraft = await question('Stays a draft', false);
  const annulled = await question('Annulled at the start');
  await annulQuestion(db, lead, annulled.id, 'Seeded annulled', now - DAY);
  const values = (v: number[]) => new Map(open.scenarios.map((s, k) => [s.id, v[k]]));
  await saveForecast(db, lead, open.id, { values: values([60, 40]), rationale: 'lead' }, now - 5 * DAY);
  await saveForecast(db, actor('forecaster'), open.id, { values: values([30, 70]), rationale: 'fc' }, now - 5 * DAY);
  const event = await logIndicatorEvent(db, lead, open.id, eventInputSchema.parse({ indicatorId: String(open.indicators[0]!.id), occurredAt: new Date(now - 2 * DAY).toISOString() }), now - 2 * DAY);
  const tokens: Record<string, number> = {};
  for (const who of ['lead', 'forecaster', 'viewer']) tokens[who] = (await createApiToken(db, actor(who), 'matrix')).id;
  const notes: Record<string, number> = {};
  for (const who of ['lead', 'forecaster', 'viewer']) {
    const [row] = await db.write((tx) =>
      tx.insert(notifications).values({ userId: actor(who).id, kind: 'role', itemKey: `matrix:${who}`, text: 'Matrix item', link: '/settings', createdAt: now }).returning({ id: notifications.id }),
    );
    notes[who] = row!.id;
  }
  const inviteToRevoke = (await createInvite(db, lead, { role: 'viewer', email: null, expiresInDays: 7 })).id;
  const inviteTokens: Record<string, string> = {};
  for (const who of WHO) inviteTokens[who] = (await createInvite(db, lead, { role: 'viewer', email: null, expiresInDays: 7 })).token;
  return {
    open,
    toResolve,
    toAnnul,
    draft,
    annulled,
    staysDraft,
    event,
    tokens,
    notes,
    inviteToRevoke,
    inviteTokens,
    members: { a: actor('member-a').id, b: actor('member-b').id },
    ids: Object.fromEntries(people.map((p) => [p.name, p.id])) as Record<string, number>,
  };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

interface ActionRow {
  /** The page the action is posted to (it must be one that uses it). */
  page: (s: Seeded) => string;
  expect: Record<Who, Outcome>;
  /** Bound arguments and form fields for `who`. */
  call: (s: Seeded, who: Who) => { bound: unknown[]; fields: Record<string, string | string[]> };
}

const LEAD_ONLY: Record<Who, Outcome> = { out: 'deny', viewer: 'deny', forecaster: 'deny', lead: 'allow' };
const FORECASTERS: Record<Who, Outcome> = { out: 'deny', viewer: 'deny', forecaster: 'allow', lead: 'allow' };
const MEMBERS: Record<Who, Outcome> = { out: 'deny', viewer: 'allow', forecaster: 'allow', lead: 'allow' };
const ANYONE: Record<Who, Outcome> = { out: 'allow', viewer: 'allow', forecaster: 'allow', lead: 'allow' };

/** The fields of the question form (repeated fields for scenarios and indicators). */
const question = (title: string, scenarioIds: string[], indicators: { id: number; name: string }[] = []) => ({
  title,
  background: '',
  resolutionCriteria: 'Matrix test.',
  opensAt: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 16),
  closesAt: new Date(Date.now() + 40 * DAY).toISOString().slice(0, 16),
  staleAfterDays: '14',
  antiHerding: 'on',
  scenarioId: scenarioIds,
  scenarioName: scenarioIds.map((_, i) => `Scenario ${i + 1}`),
  scenarioDescription: scenarioIds.map(() => ''),
  indicatorId: indicators.map((i) => String(i.id)),
  indicatorName: indicators.map((i) => i.name),
  indicatorDescription: indicators.map(() => ''),
  indicatorDeadline: indicators.map(() => ''),
});

/** Every server action of the app. */
const ACTIONS: Record<string, ActionRow> = {
  signInAction: { page: () => '/sign-in', expect: ANYONE, call: (_s, who) => ({ bound: [], fields: { email: `${who === 'out' ? 'lead' : who}@matrix.example`, password: PASSWORD } }) },
  signUpFirstAction: {
    page: () => '/sign-up',
    // Only an empty database takes a first account.
    expect: { out: 'conflict', viewer: 'conflict', forecaster: 'conflict', lead: 'conflict' },
    call: (_s, who) => ({ bound: [], fields: { name: 'Second first', email: `first-${who}@matrix.example`, password: 'long-enough-password' } }),
  },
  acceptInviteAction: {
    page: (s) => `/invite/${s.inviteTokens.out}`,
    expect: ANYONE,
    call: (s, who) => ({ bound: [s.inviteTokens[who]], fields: { name: `Invited ${who}`, email: `invited-${who}@matrix.example`, password: 'long-enough-password' } }),
  },
  signOutAction: { page: () => '/settings', expect: ANYONE, call: () => ({ bound: [], fields: {} }) },
  // Anyone may start single sign-on; here the provider is down, so it ends on a page saying so.
  ssoSignInAction: { page: () => '/sign-in', expect: ANYONE, call: () => ({ bound: [], fields: { from: '/questions' } }) },
  createQuestionAction: {
    page: () => '/questions/new',
    expect: LEAD_ONLY,
    call: () => ({ bound: [], fields: question('Created by the matrix', ['', '']) }),
  },
  updateQuestionAction: { page: (s) => `/questions/${s.draft.id}/edit`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.draft.id], fields: question('Edited by the matrix', s.draft.scenarios.map((x) => String(x.id)), s.draft.indicators) }) },
  publishQuestionAction: { page: (s) => `/questions/${s.draft.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.draft.id], fields: {} }) },
  submitForecastAction: {
    page: (s) => `/questions/${s.open.id}`,
    expect: FORECASTERS,
    call: (s) => ({ bound: [s.open.id], fields: Object.fromEntries(s.open.scenarios.map((sc, k) => [`p_${sc.id}`, String([55, 45][k])])) }),
  },
  // The forecaster and the lead each have a standing forecast on the open question.
  reaffirmForecastAction: { page: (s) => `/questions/${s.open.id}`, expect: FORECASTERS, call: (s) => ({ bound: [s.open.id], fields: {} }) },
  submitUpdateAction: {
    page: (s) => `/questions/${s.open.id}/update/${s.event}`,
    expect: FORECASTERS,
    call: (s) => ({
      bound: [s.open.id],
      fields: {
        eventId: String(s.event),
        ...Object.fromEntries(s.open.scenarios.flatMap((sc, k) => [[`p_${sc.id}`, String([50, 50][k])], [`l_${sc.id}`, String([60, 30][k])]])),
      },
    }),
  },
  recordLikelihoodsAction: {
    page: (s) => `/questions/${s.open.id}`,
    expect: FORECASTERS,
    call: (s) => ({ bound: [s.open.id, s.open.indicators[1]!.id, false], fields: Object.fromEntries(s.open.scenarios.map((sc, k) => [`l_${sc.id}`, String([70, 20][k])])) }),
  },
  logEventAction: {
    page: (s) => `/questions/${s.open.id}`,
    expect: FORECASTERS,
    call: (s) => ({ bound: [s.open.id], fields: { indicatorId: String(s.open.indicators[1]!.id), kind: 'observed', occurredAt: new Date(Date.now() - DAY).toISOString().slice(0, 16), note: 'matrix' } }),
  },
  retractEventAction: { page: (s) => `/questions/${s.open.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.open.id, s.event], fields: { reason: 'matrix' } }) },
  retireIndicatorAction: { page: (s) => `/questions/${s.open.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.open.id, s.open.indicators[1]!.id], fields: {} }) },
  addIndicatorAction: { page: (s) => `/questions/${s.open.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.open.id], fields: { name: 'Added by the matrix', description: '' } }) },
  setMethodAction: { page: (s) => `/questions/${s.open.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.open.id], fields: { methodId: 'median-uniform' } }) },
  // The lead passes authorisation and is refused because the team's record is too short.
  switchToRecommendedAction: {
    page: (s) => `/questions/${s.open.id}/review`,
    expect: { out: 'deny', viewer: 'deny', forecaster: 'deny', lead: 'conflict' },
    call: (s) => ({ bound: [s.open.id], fields: {} }),
  },
  resolveAction: {
    page: (s) => `/questions/${s.toResolve.id}`,
    expect: LEAD_ONLY,
    call: (s) => ({ bound: [s.toResolve.id], fields: { scenarioId: String(s.toResolve.scenarios[0]!.id), resolvedAt: new Date(Date.now() - DAY).toISOString().slice(0, 16), note: '' } }),
  },
  annulAction: { page: (s) => `/questions/${s.toAnnul.id}`, expect: LEAD_ONLY, call: (s) => ({ bound: [s.toAnnul.id], fields: { reason: 'matrix' } }) },
  createTokenAction: { page: () => '/settings', expect: MEMBERS, call: () => ({ bound: [], fields: { name: 'matrix token' } }) },
  revokeTokenAction: { page: () => '/settings', expect: MEMBERS, call: (s, who) => ({ bound: [], fields: { tokenId: String(s.tokens[who === 'out' ? 'lead' : who]) } }) },
  changePasswordAction: { page: () => '/settings', expect: MEMBERS, call: () => ({ bound: [], fields: { current: PASSWORD, next: `${PASSWORD}-changed`, confirm: `${PASSWORD}-changed` } }) },
  signOutEverywhereAction: { page: () => '/settings', expect: MEMBERS, call: () => ({ bound: [], fields: {} }) },
  createInviteAction: { page: () => '/team', expect: LEAD_ONLY, call: () => ({ bound: [], fields: { role: 'viewer', email: '', expiresInDays: '7' } }) },
  revokeInviteAction: { page: () => '/team', expect: LEAD_ONLY, call: (s) => ({ bound: [], fields: { inviteId: String(s.inviteToRevoke) } }) },
  changeRoleAction: { page: () => '/team', expect: LEAD_ONLY, call: (s) => ({ bound: [], fields: { userId: String(s.members.a), role: 'viewer' } }) },
  setActiveAction: { page: () => '/team', expect: LEAD_ONLY, call: (s) => ({ bound: [], fields: { userId: String(s.members.b), active: 'false' } }) },
  markReadAction: { page: () => '/notifications', expect: MEMBERS, call: (s, who) => ({ bound: [], fields: { notificationId: String(s.notes[who === 'out' ? 'lead' : who]) } }) },
  markAllReadAction: { page: () => '/notifications', expect: MEMBERS, call: () => ({ bound: [], fields: {} }) },
  setEmailChoiceAction: { page: () => '/settings', expect: MEMBERS, call: () => ({ bound: [], fields: { email: 'weekly' } }) },
  // A literal public address: no DNS needed, and the matrix's server allows no private ones.
  setWebhookAction: { page: () => '/team', expect: LEAD_ONLY, call: () => ({ bound: [], fields: { url: 'https://93.184.216.34/matrix-hook' } }) },
  clearWebhookAction: { page: () => '/team', expect: LEAD_ONLY, call: () => ({ bound: [], fields: {} }) },
};

interface ApiRow {
  path: (s: Seeded) => string;
  body?: (s: Seeded) => unknown;
  /** Expected status per who is asking. */
  expect: Record<Who, number>;
}

/** Every JSON API route and method. */
const API: Record<string, ApiRow> = {
  'GET /api/v1/health': { path: () => '/api/v1/health', expect: { out: 200, viewer: 200, forecaster: 200, lead: 200 } },
  'GET /api/v1/me': { path: () => '/api/v1/me', expect: { out: 401, viewer: 200, forecaster: 200, lead: 200 } },
  'GET /api/v1/questions': { path: () => '/api/v1/questions', expect: { out: 401, viewer: 200, forecaster: 200, lead: 200 } },
  'GET /api/v1/questions/{id}': { path: (s) => `/api/v1/questions/${s.open.id}`, expect: { out: 401, viewer: 200, forecaster: 200, lead: 200 } },
  'GET /api/v1/questions/{id} (a draft)': { path: (s) => `/api/v1/questions/${s.staysDraft.id}`, expect: { out: 401, viewer: 404, forecaster: 404, lead: 200 } },
  'GET /api/v1/questions/{id}/forecasts': { path: (s) => `/api/v1/questions/${s.open.id}/forecasts`, expect: { out: 401, viewer: 200, forecaster: 200, lead: 200 } },
  'POST /api/v1/questions/{id}/forecasts': {
    path: (s) => `/api/v1/questions/${s.open.id}/forecasts`,
    body: () => ({ probabilities: [52, 48] }),
    expect: { out: 401, viewer: 403, forecaster: 201, lead: 201 },
  },
  'POST /api/v1/questions/{id}/reaffirm': {
    path: (s) => `/api/v1/questions/${s.open.id}/reaffirm`,
    body: () => ({}),
    expect: { out: 401, viewer: 403, forecaster: 201, lead: 201 },
  },
  'GET /api/v1/questions/{id}/series': { path: (s) => `/api/v1/questions/${s.open.id}/series`, expect: { out: 401, viewer: 200, forecaster: 200, lead: 200 } },
  'GET /api/v1/questions/{id}/scores': { path: (s) => `/api/v1/questions/${s.open.id}/scores`, expect: { out: 401, viewer: 409, forecaster: 409, lead: 409 } },
  'POST /api/v1/questions/{id}/resolution': {
    path: (s) => `/api/v1/questions/${s.annulled.id}/resolution`,
    // The lead passes authorisation and is refused for the question's state (it is annulled).
    body: (s) => ({ scenarioId: s.annulled.scenarios[0]!.id, resolvedAt: new Date(Date.now() - DAY).toISOString() }),
    expect: { out: 401, viewer: 403, forecaster: 403, lead: 409 },
  },
};

/** The API routes and methods the source declares (not the JSON 405s of otherMethods). */
function declaredApiRoutes(): string[] {
  const root = path.join(__dirname, '..', 'app', 'api', 'v1');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const rel = path.relative(root, dir).split(path.sep).join('/');
        if (rel.includes('[...')) continue; // the JSON 404 for unknown paths
        const source = fs.readFileSync(full, 'utf8');
        for (const m of source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)) {
          out.push(`${m[1]} /api/v1${rel ? `/${rel.replace(/\[(\w+)\]/g, '{$1}')}` : ''}`);
        }
      }
    }
  };
  walk(root);
  return out.sort();
}

let own: OwnServer<Seeded>;
test.beforeAll(async () => {
  // Single sign-on configured, with its provider on a loopback port nobody listens on.
  const closed = await freePort();
  own = await startOwnServer('matrix', seed, { OIDC_ISSUER: `http://127.0.0.1:${closed}`, OIDC_CLIENT_ID: 'matrix', OIDC_CLIENT_SECRET: 'matrix-secret', OIDC_LABEL: 'Matrix SSO', AUTH_SECRET: MATRIX_SECRET });
});
test.afterAll(async () => {
  await own?.stop();
});

const passwords: Record<string, string> = {};
async function as(who: Who): Promise<Jar | null> {
  if (who === 'out') {
    // A cookie that looks like a session but is not one: the proxy lets it through, so the
    // action's own check is what refuses it.
    const jar = new Jar();
    jar.keep(new Response(null, { headers: { 'set-cookie': 'authjs.session-token=forged.not.a.session; Path=/' } }));
    return jar;
  }
  const { jar, refused } = await signInOverHttp(own.base, `${who}@matrix.example`, passwords[who] ?? PASSWORD);
  expect(refused, `${who} signs in`).toBeNull();
  return jar;
}

test('the table lists every server action and every API route', () => {
  expect([...actionIds().keys()].sort()).toEqual(Object.keys(ACTIONS).sort());
  const declared = declaredApiRoutes();
  expect(declared).toEqual([...new Set(Object.keys(API).map((k) => k.replace(/ \(.*\)$/, '')))].sort());
});

test('every server action allows exactly whom the table says, checked by forged calls', async () => {
  test.setTimeout(180_000);
  const ids = actionIds();
  const failures: string[] = [];
  for (const [name, row] of Object.entries(ACTIONS)) {
    for (const who of WHO) {
      const jar = await as(who);
      const { bound, fields } = row.call(own.seeded, who);
      const result = await callAction(own.base, row.page(own.seeded), ids.get(name)!, bound, fields, jar);
      // Signing out (here or everywhere) is done when it sends you to the sign-in page.
      const signsOut = name === 'signOutAction' || name === 'signOutEverywhereAction';
      const allowed = result.state?.ok === true || (result.redirect !== null && (signsOut || !result.redirect.includes('/sign-in')));
      const got: string = allowed ? 'allow' : ['unauthenticated', 'forbidden'].includes(result.state?.code ?? '') ? 'deny' : result.state?.code ?? `status ${result.status}`;
      if (got !== row.expect[who]) failures.push(`${name} as ${who}: expected ${row.expect[who]}, got ${got} (${result.state?.message ?? result.redirect ?? result.status})`);
      if (name === 'changePasswordAction' && got === 'allow') passwords[who] = `${PASSWORD}-changed`;
    }
  }
  expect(failures).toEqual([]);
});

test('every API route allows exactly whom the table says, checked by forged requests', async () => {
  const failures: string[] = [];
  for (const [name, row] of Object.entries(API)) {
    const method = name.split(' ')[0]!;
    for (const who of WHO) {
      const jar = who === 'out' ? null : await as(who);
      const r = await fetch(`${own.base}${row.path(own.seeded)}`, {
        method,
        headers: { ...(jar ? { cookie: jar.header() } : {}), ...(row.body ? { 'content-type': 'application/json' } : {}) },
        body: row.body ? JSON.stringify(row.body(own.seeded)) : undefined,
      });
      expect(r.headers.get('content-type') ?? '', `${name} as ${who} answers JSON`).toMatch(/^application\/json/);
      if (r.status !== row.expect[who]) failures.push(`${name} as ${who}: expected ${row.expect[who]}, got ${r.status} ${(await r.text()).slice(0, 120)}`);
    }
  }
  expect(failures).toEqual([]);
});

test('the one-click unsubscribe route (RFC 8058, outside the JSON API): whoever posts, only the signed token’s member is unsubscribed; a GET or a forged token changes nothing', async () => {
  const oneClick = (userId: number, secret = MATRIX_SECRET) => `${own.base}/unsubscribe/one-click?token=${signUnsubscribe(userId, Date.now(), secret)}`;
  const body = () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' });
  const failures: string[] = [];
  for (const who of WHO) {
    const jar = await as(who);
    const cookie: Record<string, string> = jar ? { cookie: jar.header() } : {};
    const forged = await fetch(oneClick(own.seeded.ids[who === 'out' ? 'forecaster' : who]!, 'not-the-secret'), { method: 'POST', body: body(), headers: cookie, redirect: 'manual' });
    if (forged.status !== 400 || !/^text\/plain/.test(forged.headers.get('content-type') ?? '')) failures.push(`forged token as ${who}: ${forged.status} ${forged.headers.get('content-type')}`);
    const opened = await fetch(oneClick(own.seeded.members.a), { headers: cookie, redirect: 'manual' });
    if (opened.status !== 303) failures.push(`GET as ${who}: ${opened.status}`);
  }
  expect(failures).toEqual([]);
  const o = await openDatabase({ engine: 'sqlite', file: own.file });
  const offs = async () => (await o.db.select({ userId: notificationSettings.userId }).from(notificationSettings).where(eq(notificationSettings.email, 'off'))).map((r) => r.userId).sort();
  try {
    expect(await offs()).toEqual([]);
    // Signed out with a foreign Origin (a mail provider), and signed in as the lead: each
    // unsubscribes the token's member, nobody else (not the one who posted).
    const out = await fetch(oneClick(own.seeded.members.a), { method: 'POST', body: body(), headers: { origin: 'https://mail.provider.example' }, redirect: 'manual' });
    expect(out.status).toBe(200);
    const lead = await as('lead');
    const asLead = await fetch(oneClick(own.seeded.members.b), { method: 'POST', body: body(), headers: { cookie: lead!.header() }, redirect: 'manual' });
    expect(asLead.status).toBe(200);
    expect(await offs()).toEqual([own.seeded.members.a, own.seeded.members.b].sort());
  } finally {
    await o.close();
  }
});
