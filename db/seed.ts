// The demo seed: the founding question from DESIGN.md, illustrative forecast histories, logged
// indicator events with updates tied to them, and one resolved practice question. Everything
// is deterministic given the seed day (times are whole days before it), and marked
// illustrative in the app. The e2e suite runs against this seed.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import {
  forecastProbabilities,
  forecasts,
  indicatorEvents,
  indicators,
  likelihoodJudgements,
  likelihoodValues,
  questions,
  scenarios,
  users,
  type Role,
} from '@/db/schema';
import { posterior } from '@/lib/bayes';
import { hashPassword } from './queries/users';

export const DEMO_PASSWORD = 'signpost-demo';
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'lead@example.com', name: 'Lena Lead', role: 'lead' },
  { email: 'ana@example.com', name: 'Ana Ahmadi', role: 'forecaster' },
  { email: 'ben@example.com', name: 'Ben Brooks', role: 'forecaster' },
  { email: 'chen@example.com', name: 'Chen Wei', role: 'forecaster' },
  { email: 'dara@example.com', name: 'Dara Diallo', role: 'forecaster' },
  { email: 'viewer@example.com', name: 'Vic Viewer', role: 'viewer' },
];

const DAY = 86_400_000;

export const FOUNDING = {
  title: 'How will the US-Iran standoff develop by 31 December 2026?',
  background:
    'Oman hosted a new round of indirect US-Iran talks in Muscat in early 2026. An opinion essay on those talks argues ' +
    'that they manage escalation rather than lead to a settlement: each side keeps a channel open to limit surprises, ' +
    'while proxies, sanctions and military signalling continue. The essay sets out three scenarios (managed ' +
    'de-escalation as the most likely, a limited military strike, and unintended escalation as the most dangerous) and ' +
    'four early-warning indicators. We add a fourth scenario so the set covers every outcome.',
  resolutionCriteria:
    'Resolves on 31 December 2026 to the scenario that best describes the year as a whole, judged by the team lead ' +
    'from major news reporting. A single acknowledged US or Israeli strike on Iranian territory or assets, answered ' +
    'mainly through proxies, is "Limited military strike"; sustained direct exchanges between the states' +
    ' armed forces that neither side announced in advance are "Unintended escalation".',
  scenarios: [
    {
      name: 'Managed de-escalation',
      description:
        'Talks continue without a deal; informal understandings cap escalation; proxies stay calibrated; shipping is harassed but not closed.',
    },
    {
      name: 'Limited military strike',
      description: 'A targeted US or Israeli operation (cyber, air or covert) hits Iran, and Iran answers indirectly through proxies.',
    },
    {
      name: 'Unintended escalation',
      description:
        'A misread signal, an autonomous proxy commander or an overreaching strike sets off a wider direct conflict nobody chose.',
    },
    {
      name: 'Comprehensive agreement or other outcome',
      description: 'A broad settlement (the essay judges the conditions absent) or anything the first three miss.',
    },
  ],
  indicators: [
    { name: 'Muscat channel suspended or downgraded', description: 'Either side suspends the Omani-mediated talks or sends lower-level envoys.' },
    { name: 'Unexplained shift in US or Israeli military readiness', description: 'A sudden change in alert levels, deployments or leave policy with no public reason.' },
    { name: 'Coordinated leaks about Iran’s nuclear timeline', description: 'Several intelligence leaks in a short time claiming Iran is closer to a weapon.' },
    { name: 'Proxy escalations on several fronts at once', description: 'Unattributed attacks by aligned groups in more than one theatre within days.' },
  ],
};

// Team default likelihoods P(indicator | scenario), percent, in scenario order.
const TEAM_DEFAULTS: number[][] = [
  [20, 55, 60, 10],
  [10, 70, 50, 5],
  [15, 60, 40, 10],
  [25, 45, 70, 10],
];

type Vec = [number, number, number, number];

interface SeedForecast {
  user: string;
  day: number; // days before the seed day
  hour?: number;
  p: Vec; // percent
  rationale: string;
  /** An update on an event: its index in EVENTS and the likelihoods used (percent). */
  update?: { event: number; likelihoods: Vec };
}

// Logged events on the founding question (days before the seed day).
const EVENTS = [
  { indicator: 0, day: 95, by: 'lead@example.com', url: 'https://example.com/illustrative/muscat-round-postponed', note: 'Illustrative: the next Muscat round is postponed and both delegations are announced at deputy level.' },
  { indicator: 3, day: 30, by: 'ana@example.com', url: 'https://example.com/illustrative/proxy-attacks', note: 'Illustrative: attacks attributed to aligned groups in the Red Sea and in Iraq within three days.' },
];

// Each update's probabilities are what the forecaster chose; the likelihoods are theirs. Ana
// follows her likelihoods closely, Ben under-reacts, Chen over-reacts, Dara has not yet updated
// on the second event (so the demo shows "new evidence since your last forecast").
const FOUNDING_FORECASTS: SeedForecast[] = [
  { user: 'lead@example.com', day: 140, p: [60, 20, 10, 10], rationale: 'Baseline from the essay: the channel is working and both sides want to avoid war.' },
  { user: 'ana@example.com', day: 138, p: [55, 25, 12, 8], rationale: 'Talks are fragile; strikes have precedent.' },
  { user: 'ben@example.com', day: 137, p: [65, 18, 7, 10], rationale: 'Both governments have strong domestic reasons to keep talking.' },
  { user: 'chen@example.com', day: 135, p: [50, 25, 15, 10], rationale: 'Proxy autonomy makes accidents likelier than the essay allows.' },
  { user: 'dara@example.com', day: 133, p: [60, 22, 10, 8], rationale: 'Close to the essay, slightly more weight on a strike.' },
  { user: 'ben@example.com', day: 110, p: [63, 19, 8, 10], rationale: 'Small drift after the sanctions announcement.' },
  { user: 'ana@example.com', day: 94, p: [35.5, 36.5, 19.5, 8.5], rationale: 'Updated on the downgraded channel, following my likelihoods.', update: { event: 0, likelihoods: [20, 45, 50, 10] } },
  { user: 'ben@example.com', day: 93, p: [58, 22, 10, 10], rationale: 'Channel downgraded, but this has happened before without consequence.', update: { event: 0, likelihoods: [20, 50, 60, 10] } },
  { user: 'chen@example.com', day: 92, p: [15, 40, 40, 5], rationale: 'A downgraded channel removes the main brake.', update: { event: 0, likelihoods: [25, 50, 55, 15] } },
  { user: 'dara@example.com', day: 90, p: [40, 35, 17, 8], rationale: 'Moving towards a strike after the downgrade.', update: { event: 0, likelihoods: [20, 55, 60, 10] } },
  { user: 'lead@example.com', day: 88, p: [45, 30, 15, 10], rationale: 'Channel downgrade is a real signal.' },
  { user: 'ana@example.com', day: 29, p: [22, 38, 33, 7], rationale: 'Several fronts at once fits escalation best.', update: { event: 1, likelihoods: [25, 45, 70, 10] } },
  { user: 'chen@example.com', day: 28, p: [16, 38, 42, 4], rationale: 'Less movement than my likelihoods imply: some of this is noise.', update: { event: 1, likelihoods: [20, 45, 75, 10] } },
  { user: 'ben@example.com', day: 20, p: [52, 25, 13, 10], rationale: 'Checked in: little change.' },
];

// The resolved practice question: three scenarios, resolved to the second.
export const PRACTICE = {
  title: 'Practice: will the spring Muscat round be held as scheduled?',
  background: 'A short practice question for the team to learn the tool: the scheduling of one round of talks.',
  resolutionCriteria: 'Resolves to the scenario that describes when the round actually took place.',
  scenarios: [
    { name: 'Held on schedule', description: 'The round takes place on the announced dates.' },
    { name: 'Postponed', description: 'The round takes place, but later than announced.' },
    { name: 'Cancelled', description: 'The round does not take place before the question closes.' },
  ],
  opensDaysAgo: 220,
  closesDaysAgo: 180,
  resolvedDaysAgo: 178,
  resolvedIndex: 1,
};

const PRACTICE_FORECASTS: { user: string; day: number; p: [number, number, number]; rationale: string }[] = [
  { user: 'lead@example.com', day: 219, p: [60, 30, 10], rationale: 'Dates were announced by both sides.' },
  { user: 'ana@example.com', day: 218, p: [50, 40, 10], rationale: 'Rounds often slip by a week.' },
  { user: 'ben@example.com', day: 216, p: [70, 20, 10], rationale: 'Oman is a reliable host.' },
  { user: 'chen@example.com', day: 215, p: [40, 40, 20], rationale: 'Tension is high; cancellation is possible.' },
  { user: 'ana@example.com', day: 200, p: [30, 60, 10], rationale: 'Reports of logistics delays.' },
  { user: 'dara@example.com', day: 199, p: [45, 45, 10], rationale: 'Even between on-time and late.' },
  { user: 'ben@example.com', day: 195, p: [55, 35, 10], rationale: 'Some signs of delay.' },
  { user: 'chen@example.com', day: 190, p: [20, 60, 20], rationale: 'Delay now likely.' },
  { user: 'lead@example.com', day: 188, p: [25, 65, 10], rationale: 'Delegations have not travelled.' },
];

export interface SeedResult {
  userIds: Record<string, number>;
  foundingId: number;
  practiceId: number;
}

/** Seeds an empty database. `now` fixes the seed day; every time is whole days before it. */
export async function seedDemo(db: Db, now = Date.now()): Promise<SeedResult> {
  const day0 = Math.floor(now / DAY) * DAY + 9 * 3_600_000; // 09:00 UTC on the seed day
  const t = (days: number, hour = 0) => Math.min(day0 - days * DAY + hour * 3_600_000, now - 60_000);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction((tx) => {
    if (tx.select({ id: users.id }).from(users).limit(1).get()) {
      throw new Error('seedDemo: the database already has users; seed only an empty database.');
    }
    const userIds: Record<string, number> = {};
    for (const a of DEMO_ACCOUNTS) {
      userIds[a.email] = tx
        .insert(users)
        .values({ email: a.email, name: a.name, role: a.role, passwordHash, createdAt: t(240) })
        .returning({ id: users.id })
        .get().id;
    }
    const lead = userIds['lead@example.com']!;

    // ---- the founding question ----
    const closesDefault = Date.UTC(2026, 11, 31, 23, 59);
    const founding = tx
      .insert(questions)
      .values({
        title: FOUNDING.title,
        background: FOUNDING.background,
        resolutionCriteria: FOUNDING.resolutionCriteria,
        opensAt: t(150),
        // The essay's horizon; if the seed is run after it, keep the demo open for a while.
        closesAt: closesDefault > now + 14 * DAY ? closesDefault : day0 + 120 * DAY,
        status: 'open',
        illustrative: true,
        createdBy: lead,
        createdAt: t(151),
        updatedAt: t(150),
        publishedAt: t(150),
      })
      .returning({ id: questions.id })
      .get().id;
    const fScen = FOUNDING.scenarios.map(
      (s, i) =>
        tx.insert(scenarios).values({ questionId: founding, position: i, ...s }).returning({ id: scenarios.id }).get().id,
    );
    const fInd = FOUNDING.indicators.map(
      (s, i) =>
        tx
          .insert(indicators)
          .values({ questionId: founding, position: i, ...s, createdAt: t(151) })
          .returning({ id: indicators.id })
          .get().id,
    );

    const judge = (indicatorId: number, userId: number | null, setBy: number, at: number, values: number[]) => {
      const j = tx
        .insert(likelihoodJudgements)
        .values({ indicatorId, userId, isTeamDefault: userId === null, setBy, createdAt: at })
        .returning({ id: likelihoodJudgements.id })
        .get().id;
      tx.insert(likelihoodValues)
        .values(values.map((v, k) => ({ judgementId: j, scenarioId: fScen[k]!, likelihood: v / 100 })))
        .run();
    };
    TEAM_DEFAULTS.forEach((vals, i) => judge(fInd[i]!, null, lead, t(149), vals));

    const eventIds = EVENTS.map(
      (e) =>
        tx
          .insert(indicatorEvents)
          .values({
            questionId: founding,
            indicatorId: fInd[e.indicator]!,
            kind: 'observed',
            occurredAt: t(e.day + 1),
            sourceUrl: e.url,
            note: e.note,
            loggedBy: userIds[e.by]!,
            createdAt: t(e.day),
            illustrative: true,
          })
          .returning({ id: indicatorEvents.id })
          .get().id,
    );

    const standing = new Map<string, { id: number; p: number[] }>();
    for (const f of FOUNDING_FORECASTS) {
      const userId = userIds[f.user]!;
      const at = t(f.day, f.hour ?? 0);
      const probs = normalisePercent(f.p);
      let prior: number[] | null = null;
      let lk: number[] | null = null;
      let implied: number[] | null = null;
      let priorId: number | null = null;
      if (f.update) {
        const s = standing.get(f.user);
        if (!s) throw new Error(`seedDemo: update by ${f.user} has no prior`);
        prior = s.p;
        priorId = s.id;
        lk = f.update.likelihoods.map((v) => v / 100);
        implied = posterior(prior, lk);
        judge(fInd[EVENTS[f.update.event]!.indicator]!, userId, userId, at - 60_000, f.update.likelihoods);
      }
      const id = tx
        .insert(forecasts)
        .values({
          questionId: founding,
          userId,
          createdAt: at,
          rationale: f.rationale,
          eventId: f.update ? eventIds[f.update.event]! : null,
          priorForecastId: priorId,
          illustrative: true,
        })
        .returning({ id: forecasts.id })
        .get().id;
      tx.insert(forecastProbabilities)
        .values(
          probs.map((p, k) => ({
            forecastId: id,
            scenarioId: fScen[k]!,
            probability: p,
            prior: prior?.[k] ?? null,
            likelihood: lk?.[k] ?? null,
            impliedPosterior: implied?.[k] ?? null,
          })),
        )
        .run();
      standing.set(f.user, { id, p: probs });
    }

    // ---- the resolved practice question ----
    const practice = tx
      .insert(questions)
      .values({
        title: PRACTICE.title,
        background: PRACTICE.background,
        resolutionCriteria: PRACTICE.resolutionCriteria,
        opensAt: t(PRACTICE.opensDaysAgo),
        closesAt: t(PRACTICE.closesDaysAgo),
        status: 'resolved',
        illustrative: true,
        createdBy: lead,
        createdAt: t(PRACTICE.opensDaysAgo + 1),
        updatedAt: t(PRACTICE.resolvedDaysAgo),
        publishedAt: t(PRACTICE.opensDaysAgo),
        resolvedAt: t(PRACTICE.resolvedDaysAgo),
        resolutionNote: 'Illustrative: the round took place eleven days after the announced date.',
      })
      .returning({ id: questions.id })
      .get().id;
    const pScen = PRACTICE.scenarios.map(
      (s, i) =>
        tx.insert(scenarios).values({ questionId: practice, position: i, ...s }).returning({ id: scenarios.id }).get().id,
    );
    tx.update(questions)
      .set({ resolvedScenarioId: pScen[PRACTICE.resolvedIndex]! })
      .where(eqId(practice))
      .run();
    for (const f of PRACTICE_FORECASTS) {
      const id = tx
        .insert(forecasts)
        .values({ questionId: practice, userId: userIds[f.user]!, createdAt: t(f.day), rationale: f.rationale, illustrative: true })
        .returning({ id: forecasts.id })
        .get().id;
      tx.insert(forecastProbabilities)
        .values(normalisePercent(f.p).map((p, k) => ({ forecastId: id, scenarioId: pScen[k]!, probability: p })))
        .run();
    }
    return { userIds, foundingId: founding, practiceId: practice };
  });
}

const eqId = (id: number) => eq(questions.id, id);

function normalisePercent(p: readonly number[]): number[] {
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}

export { PRACTICE_FORECASTS, FOUNDING_FORECASTS, EVENTS as FOUNDING_EVENTS, TEAM_DEFAULTS };
