import Link from 'next/link';
import { getDb } from '@/db';
import { listMyForecasts } from '@/db/queries/forecasts';
import { getQuestionForUser } from '@/db/queries/questions';
import { formatTime, orNotFound, pct } from '@/lib/page-helpers';
import { STATUS_LABEL } from '@/lib/question-status';
import { requireActor } from '@/lib/session';
import { publishQuestionAction } from '../actions';
import { submitForecastAction } from './actions';
import { ForecastForm } from './ForecastForm';
import { PublishButton } from './PublishButton';

export default async function QuestionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const db = getDb();
  const q = orNotFound(() => getQuestionForUser(db, actor, Number(id)));
  const history = listMyForecasts(db, actor, q.id);
  const canForecast = actor.role !== 'viewer';
  const latest = history[0] ?? null;

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

      <section className="card">
        {q.background && (
          <>
            <h2>Background</h2>
            <p style={{ whiteSpace: 'pre-wrap' }}>{q.background}</p>
          </>
        )}
        <h2>Resolution criteria</h2>
        <p style={{ whiteSpace: 'pre-wrap' }}>{q.resolutionCriteria}</p>
      </section>

      <section className="card" aria-labelledby="scenarios-heading">
        <h2 id="scenarios-heading">Scenarios</h2>
        <ol data-testid="scenario-list">
          {q.scenarios.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong>
              {s.description && <div className="small muted">{s.description}</div>}
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="indicators-heading">
        <h2 id="indicators-heading">Indicators</h2>
        {q.indicators.length === 0 && <p className="muted">No indicators defined.</p>}
        <ul className="plain" data-testid="indicator-list">
          {q.indicators.filter((i) => i.retiredAt === null).map((i) => (
            <li key={i.id}>
              <strong>{i.name}</strong>
              {i.deadline !== null && <span className="small muted"> · deadline {formatTime(i.deadline)}</span>}
              {i.description && <div className="small muted">{i.description}</div>}
            </li>
          ))}
        </ul>
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
        </section>
      )}
      {!canForecast && <p className="info small">You are a viewer: you can read this question but not forecast.</p>}

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Your forecast history</h2>
        {history.length === 0 ? (
          <p className="muted">You have not forecast on this question yet.</p>
        ) : (
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
              {history.map((f) => (
                <tr key={f.id}>
                  <td className="small">
                    {formatTime(f.createdAt)}
                    {f.event && (
                      <div>
                        <span className="badge resolved">Update: {f.event.indicatorName}</span>
                      </div>
                    )}
                  </td>
                  {f.probabilities.map((p, k) => (
                    <td key={k} className="num">{pct(p)}</td>
                  ))}
                  <td className="small" style={{ whiteSpace: 'pre-wrap' }}>{f.rationale || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
