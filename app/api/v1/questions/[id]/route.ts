// GET /api/v1/questions/{id}: one question with its scenarios, indicators (pooled likelihoods
// and diagnosticity), indicator events and, where anti-herding allows, the team aggregate.
// Probabilities and likelihoods in answers are fractions (0-1), aligned with `scenarios`.
import { listIndicatorEvents } from '@/db/queries/events';
import { listIndicatorViews } from '@/db/queries/indicators';
import { getQuestionForUser } from '@/db/queries/questions';
import { canSeeTeamView, getAggregateView } from '@/db/queries/team-view';
import { iso, isoOrNull } from '@/lib/format';
import { routeId, otherMethods, withApi } from '@/server/api';
import { methodLabel } from '../../../../_components/method-labels';

export const dynamic = 'force-dynamic';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export const GET = withApi<{ id: string }>(async ({ actor, params, request, db }) => {
  const id = routeId(params.id);
  const now = Date.now();
  // The aggregate series can run to thousands of points: sent only on request (?include=series).
  const withSeries = (new URL(request.url).searchParams.get('include') ?? '').split(',').includes('series');
  // One read transaction: every part of the answer comes from the same snapshot.
  return db.read(async (tx) => {
    const q = await getQuestionForUser(tx, actor, id, now);
    // One after another: on PostgreSQL a transaction is one connection, which runs one query at
    // a time. The aggregate first: the others then read anti-herding from its snapshot.
    const aggregate = await getAggregateView(tx, actor, q, { now, series: withSeries });
    const teamView = await canSeeTeamView(tx, actor, q);
    const indicators = await listIndicatorViews(tx, actor, q);
    const events = await listIndicatorEvents(tx, actor, q);
    return {
      question: {
        id: q.id,
        title: q.title,
        background: q.background,
        resolutionCriteria: q.resolutionCriteria,
        status: q.status,
        opensAt: iso(q.opensAt),
        closesAt: iso(q.closesAt),
        publishedAt: isoOrNull(q.publishedAt),
        illustrative: q.illustrative,
        antiHerding: q.antiHerding,
        aggregationMethod: q.aggregationMethod,
        extremisingAlpha: q.extremisingAlpha,
        skillSettings: { priorCount: q.skillSettings.priorCount, temperature: q.skillSettings.temperature },
        resolution:
          q.status === 'resolved' && q.resolvedScenarioId !== null
            ? { scenarioId: q.resolvedScenarioId, resolvedAt: isoOrNull(q.resolvedAt), note: q.resolutionNote }
            : null,
        annulReason: q.status === 'annulled' ? q.annulReason : null,
        forecastCount: aggregate ? aggregate.forecastTotal : null,
        scenarios: q.scenarios.map((s) => ({ id: s.id, position: s.position, name: s.name, description: s.description })),
        indicators: indicators.map((ind) => ({
          id: ind.id,
          name: ind.name,
          description: ind.description,
          deadline: isoOrNull(ind.deadline),
          retiredAt: isoOrNull(ind.retiredAt),
          mine: ind.mine,
          teamDefault: ind.teamDefault,
          pooled: ind.pooled,
          pooledCount: ind.pooledCount,
          pooledHidden: ind.pooledHidden,
          // ratio is null when a likelihood is 0 (infinitely diagnostic).
          diagnosticity: ind.diagnosticity
            ? { ratio: finiteOrNull(ind.diagnosticity.ratio), infinite: !Number.isFinite(ind.diagnosticity.ratio), informative: ind.diagnosticity.informative }
            : null,
          // Each forecaster's own judgement is for the lead's review, as on the review page.
          ...(actor.role === 'lead'
            ? { byForecaster: ind.byForecaster.map((b) => ({ userId: b.userId, name: b.name, likelihoods: b.likelihoods, createdAt: iso(b.createdAt) })) }
            : {}),
        })),
        events: events.map((e) => ({
          id: e.id,
          indicatorId: e.indicatorId,
          indicatorName: e.indicatorName,
          kind: e.kind,
          occurredAt: iso(e.occurredAt),
          createdAt: iso(e.createdAt),
          sourceUrl: e.sourceUrl,
          note: e.note,
          loggedBy: e.loggedBy,
          illustrative: e.illustrative,
          retracted: e.retracted ? { at: iso(e.retracted.at), reason: e.retracted.reason, by: e.retracted.by } : null,
        })),
        teamView: teamView
          ? { visible: true }
          : { visible: false, reason: 'This question hides the team’s forecasts until you make your first forecast on it.' },
        aggregate: aggregate
          ? {
              method: {
                id: aggregate.methodId,
                label: methodLabel(aggregate.methodId),
                alpha: aggregate.methodId.startsWith('extremised-') ? aggregate.alpha : null,
                skill: aggregate.methodId.endsWith('-skill') ? { priorCount: aggregate.skill.priorCount, temperature: aggregate.skill.temperature } : null,
              },
              asOf: iso(aggregate.asOf),
              probabilities: aggregate.probabilities,
              forecasterCount: aggregate.forecasterCount,
              spread: aggregate.spread,
              methods: aggregate.methods.map((m) => ({ id: m.id, label: methodLabel(m.id), probabilities: m.probabilities })),
              ...(withSeries ? { series: aggregate.series.map((p) => ({ time: iso(p.time), probabilities: p.probabilities })) } : {}),
            }
          : null,
      },
    };
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods(['GET']);
