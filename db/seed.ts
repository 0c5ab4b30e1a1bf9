// The demo seed: the founding question (docs/domain.md), illustrative forecast histories, logged
// indicator events with updates tied to them, and one resolved practice question. Everything
// is deterministic given the seed day (times are whole days before it), and marked
// illustrative in the app. The e2e suite runs against this seed.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/types';
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
} from '@/db/schema';
import { posterior } from '@/lib/bayes';
import { hashPassword } from './queries/users';
import { notifyEventLogged, notifyResolved } from './internal/notify';

/** The id an insert ... returning({ id }) gave back. */
const idOf = async (rows: Promise<{ id: number }[]>) => (await rows)[0]!.id;
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  EVENTS,
  FOUNDING,
  FOUNDING_FORECASTS,
  PRACTICE,
  PRACTICE_FORECASTS,
  TEAM_DEFAULTS,
} from './seed-data';

export { DEMO_ACCOUNTS, DEMO_PASSWORD };

const DAY = 86_400_000;

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

  return db.write(async (tx) => {
    if ((await tx.select({ id: users.id }).from(users).limit(1)).length) {
      throw new Error('The database already holds data (it has accounts): the demo seeds only an empty database. Point DATABASE_URL or DATABASE_PATH at an empty one.');
    }
    const userIds: Record<string, number> = {};
    for (const a of DEMO_ACCOUNTS) {
      userIds[a.email] = await idOf(
        tx.insert(users).values({ email: a.email, name: a.name, role: a.role, passwordHash, createdAt: t(240) }).returning({ id: users.id }),
      );
    }
    const lead = userIds['lead@example.com']!;

    // ---- the founding question ----
    const closesDefault = Date.UTC(2026, 11, 31, 23, 59);
    const founding = await idOf(
      tx
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
      .returning({ id: questions.id }),
    );
    const fScen: number[] = [];
    for (const [i, s] of FOUNDING.scenarios.entries()) {
      fScen.push(await idOf(tx.insert(scenarios).values({ questionId: founding, position: i, ...s }).returning({ id: scenarios.id })));
    }
    const fInd: number[] = [];
    for (const [i, s] of FOUNDING.indicators.entries()) {
      fInd.push(await idOf(tx.insert(indicators).values({ questionId: founding, position: i, ...s, createdAt: t(151) }).returning({ id: indicators.id })));
    }

    const judge = async (indicatorId: number, userId: number | null, setBy: number, at: number, values: number[]) => {
      const j = await idOf(
        tx
          .insert(likelihoodJudgements)
          .values({ indicatorId, userId, isTeamDefault: userId === null, setBy, createdAt: at })
          .returning({ id: likelihoodJudgements.id }),
      );
      await tx.insert(likelihoodValues).values(values.map((v, k) => ({ judgementId: j, scenarioId: fScen[k]!, likelihood: v / 100 })));
    };
    for (const [i, vals] of TEAM_DEFAULTS.entries()) await judge(fInd[i]!, null, lead, t(149), vals);

    const eventIds: number[] = [];
    for (const e of EVENTS) {
      eventIds.push(
        await idOf(
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
          .returning({ id: indicatorEvents.id }),
        ),
      );
    }

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
        await judge(fInd[EVENTS[f.update.event]!.indicator]!, userId, userId, at - 60_000, f.update.likelihoods);
      }
      const id = await idOf(
        tx
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
        .returning({ id: forecasts.id }),
      );
      await tx.insert(forecastProbabilities)
        .values(
          probs.map((p, k) => ({
            forecastId: id,
            scenarioId: fScen[k]!,
            probability: p,
            prior: prior?.[k] ?? null,
            likelihood: lk?.[k] ?? null,
            impliedPosterior: implied?.[k] ?? null,
          })),
        );
      standing.set(f.user, { id, p: probs });
    }

    // ---- the resolved practice question ----
    const practice = await idOf(
      tx
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
      .returning({ id: questions.id }),
    );
    const pScen: number[] = [];
    for (const [i, s] of PRACTICE.scenarios.entries()) {
      pScen.push(await idOf(tx.insert(scenarios).values({ questionId: practice, position: i, ...s }).returning({ id: scenarios.id })));
    }
    await tx.update(questions).set({ resolvedScenarioId: pScen[PRACTICE.resolvedIndex]! }).where(eqId(practice));
    for (const f of PRACTICE_FORECASTS) {
      const id = await idOf(
        tx
          .insert(forecasts)
          .values({ questionId: practice, userId: userIds[f.user]!, createdAt: t(f.day), rationale: f.rationale, illustrative: true })
          .returning({ id: forecasts.id }),
      );
      await tx.insert(forecastProbabilities).values(normalisePercent(f.p).map((p, k) => ({ forecastId: id, scenarioId: pScen[k]!, probability: p })));
    }
    // ---- a few notifications: each logged event for those who forecast the founding
    // question (not its logger), and the practice question's resolution ----
    for (const [k, e] of EVENTS.entries()) {
      await notifyEventLogged(tx, { questionId: founding, eventId: eventIds[k]!, loggedBy: userIds[e.by]!, now: t(e.day, 1) });
    }
    await notifyResolved(tx, { questionId: practice, correcting: false, version: 0, now: t(PRACTICE.resolvedDaysAgo) });
    return { userIds, foundingId: founding, practiceId: practice };
  });
}

const eqId = (id: number) => eq(questions.id, id);

function normalisePercent(p: readonly number[]): number[] {
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}

