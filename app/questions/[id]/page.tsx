import Link from 'next/link';
import { getDb } from '@/db';
import { listIndicatorEvents } from '@/db/queries/events';
import { listIndicatorViews } from '@/db/queries/indicators';
import { getQuestionForUser } from '@/db/queries/questions';
import { getScoresView } from '@/db/queries/scores';
import { getAggregateView, listLatestForecasts, listMyForecasts } from '@/db/queries/team-view';
import { describeCoherence } from '@/lib/coherence-text';
import { formatTime, pct } from '@/lib/format';
import { parseId } from '@/lib/ids';
import { pendingEvents } from '@/lib/team-view';
import { STATUS_LABEL } from '@/lib/question-status';
import { orNotFound, pageId } from '@/server/pages';
import { requireActor } from '@/server/session';
import { publishQuestionAction } from '../actions';
import { reaffirmForecastAction, submitForecastAction } from './actions';
import { EventsSection } from './EventsSection';
import { ForecastForm } from './ForecastForm';
import { IndicatorsSection } from './IndicatorsSection';
import { ScoresSection } from './ScoresSection';
import { TEAM_PAGE_SIZE, TeamSection } from './TeamSection';
import { PublishButton } from './PublishButton';
import { ReaffirmButton } from './ReaffirmButton';
import { FreeText } from '../../_components/FreeText';
import { TableBox } from '../../_components/TableBox';

/** Forecasts of one's own history shown before "Show all". */
const HISTORY_SHOWN = 10;

export default async function QuestionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ team?: string; history?: string }>;
}) {
  const actor = await requireActor();
  const { id } = await params;
  const query = await searchParams;
  const teamPage = parseId(query.team ?? '1') ?? 1;
  const allHistory = query.history === 'all';
  const db = await getDb();
  const now = Date.now();
  const q = await orNotFound(getQuestionForUser(db, actor, pageId(id), now));
  const canForecast = actor.role !== 'viewer';
  const [history, indicatorViews, events, view, teamLatest, scores] = await Promise.all([
    listMyForecasts(db, actor, q),
    listIndicatorViews(db, actor, q),
    listIndicatorEvents(db, actor, q),
    getAggregateView(db, actor, q, { now, series: false }),
    listLatestForecasts(db, actor, q, { offset: (teamPage - 1) * TEAM_PAGE_SIZE, limit: TEAM_PAGE_SIZE }),
    q.status === 'resolved' ? getScoresView(db, actor, q) : null,
  ]);
  const latest = history[0] ?? null;
  const pending =
    q.status === 'open' && canForecast
      ? pendingEvents(
          [...events].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).map((e) => ({ ...e, retracted: e.retracted !== null })),
          history.map((f) => ({ createdAt: f.createdAt, eventId: f.event?.id ?? null })),
        )
      : [];
  const stale = q.status === 'open' && latest !== null && now - latest.createdAt > q.staleAfterDays * 86_400_000;
  const names = q.scenarios.map((s) => s.name);
  const feedback = (f: (typeof history)[number]) =>
    f.prior && f.likelihoods ? describeCoherence(names, f.prior, f.likelihoods, f.probabilities, f.event?.kind !== 'deadline_passed') : null;
  const latestFeedback = latest ? feedback(latest) : null;

  return (
    <>
      <p className="small"><Link href="/questions">← All questions</Link></p>
      <h1>{q.title}</h1>
      <p className="row">
        <span className={`badge ${q.status}`}>{STATUS_LABEL[q.status]}</span>
        {q.illustrative && <span className="badge illustrative">Illustrative demo data</span>}
        <span className="small muted">Opens {formatTime(q.opensAt)} · Closes {formatTime(q.closesAt)}</span>
      </p>
      {q.illustrative && (
        <p className="notice small">
          This question, its forecasts and its events are illustrative: made up for the demo, not real forecasts or
          real events.
        </p>
      )}
      {actor.role === 'lead' && (
        <div className="row">
          {q.status !== 'resolved' && q.status !== 'annulled' && (
            <Link className="button secondary" href={`/questions/${q.id}/edit`}>Edit question</Link>
          )}
          {q.status === 'draft' && <PublishButton action={publishQuestionAction.bind(null, q.id)} />}
        </div>
      )}

      {pending.length > 0 && (
        <div className="notice" role="status" data-testid="new-evidence">
          <strong>New evidence since your last forecast.</strong>
          <ul>
            {pending.map((e) => (
              <li key={e.id}>
                {e.indicatorName} (logged {formatTime(e.createdAt)}){' '}
                <Link href={`/questions/${q.id}/update/${e.id}`}>Update on this event</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {stale && pending.length === 0 && (
        <p className="notice small" data-testid="stale-notice">
          Your forecast is more than {q.staleAfterDays} days old: is it still what you believe?
        </p>
      )}
      {latestFeedback && (
        <div id="feedback" className={latestFeedback.verdict === 'coherent' ? 'success' : 'info'} data-testid="coherence-feedback">
          <strong>Your latest update ({latest!.event?.indicatorName}):</strong> {latestFeedback.sentence}
        </div>
      )}

      <section className="card">
        {q.background && (
          <>
            <h2>Background</h2>
            <p style={{ whiteSpace: 'pre-wrap' }}><FreeText text={q.background} /></p>
          </>
        )}
        <h2>Resolution criteria</h2>
        <p style={{ whiteSpace: 'pre-wrap' }}><FreeText text={q.resolutionCriteria} /></p>
      </section>

      <section className="card" aria-labelledby="scenarios-heading">
        <h2 id="scenarios-heading">Scenarios</h2>
        <ol data-testid="scenario-list">
          {q.scenarios.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong>
              {s.description && <div className="small muted"><FreeText text={s.description} /></div>}
            </li>
          ))}
        </ol>
      </section>

      {canForecast && q.status === 'open' && (
        <section className="card" aria-labelledby="forecast-heading">
          <h2 id="forecast-heading">Your forecast</h2>
          <p className="small muted">
            A probability for every scenario, in percent, totalling 100%. You can also type odds (3:1) or a frequency (1 in 20).
          </p>
          <ForecastForm
            action={submitForecastAction.bind(null, q.id)}
            scenarios={q.scenarios.map((s) => ({ id: s.id, name: s.name }))}
            initial={latest ? latest.probabilities : null}
          />
          {latest && <ReaffirmButton action={reaffirmForecastAction.bind(null, q.id)} />}
        </section>
      )}
      {!canForecast && <p className="info small">You are a viewer: you can read this question but not forecast.</p>}

      {q.status === 'resolved' && (
        <p className="success">
          Resolved to <strong>{q.scenarios.find((s) => s.id === q.resolvedScenarioId)?.name}</strong> at {formatTime(q.resolvedAt!)}.
          {q.resolutionNote && <> Evidence: <FreeText text={q.resolutionNote} /></>}
        </p>
      )}
      {q.status === 'annulled' && <p className="notice">Annulled: <FreeText text={q.annulReason} /></p>}
      {scores && <ScoresSection scores={scores} />}
      {q.status !== 'draft' && (
        <TeamSection q={q} actor={actor} view={view} events={events} latest={teamLatest} page={teamPage} now={now} />
      )}
      <IndicatorsSection q={q} actor={actor} views={indicatorViews} />
      <EventsSection q={q} actor={actor} events={events} now={now} />

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Your forecast history</h2>
        {history.length === 0 ? (
          <p className="muted">You have not forecast on this question yet.</p>
        ) : (
          <TableBox label="Your forecast history">
          <table data-testid="forecast-history">
            <thead>
              <tr>
                <th>Time</th>
                {q.scenarios.map((s) => (
                  <th key={s.id} className="num">{s.name}</th>
                ))}
                <th>Rationale</th>
              </tr>
            </thead>
            <tbody>
              {(allHistory ? history : history.slice(0, HISTORY_SHOWN)).map((f) => (
                <tr key={f.id}>
                  <td className="small">
                    {formatTime(f.createdAt)}
                    {f.reaffirmation && (
                      <div>
                        <span className="badge" data-testid="reaffirm-marker">Reaffirmed</span>
                      </div>
                    )}
                    {f.event && (
                      <div>
                        <span className="badge resolved" data-testid="update-marker">Update on: {f.event.indicatorName}</span>{' '}
                        {feedback(f) && <span className="badge">{feedback(f)!.verdict}</span>}
                      </div>
                    )}
                  </td>
                  {f.probabilities.map((p, k) => (
                    <td key={k} className="num">{pct(p)}</td>
                  ))}
                  <td className="small" style={{ whiteSpace: 'pre-wrap' }}>{f.rationale ? <FreeText text={f.rationale} /> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        )}
        {!allHistory && history.length > HISTORY_SHOWN && (
          <p className="small">
            The {HISTORY_SHOWN} most recent of {history.length} forecasts.{' '}
            <Link href={`/questions/${q.id}?history=all#history-heading`}>Show all</Link>
          </p>
        )}
      </section>
    </>
  );
}
