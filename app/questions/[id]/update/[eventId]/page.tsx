import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { listIndicatorEvents } from '@/db/queries/events';
import { getMyStandingForecast } from '@/db/queries/forecasts';
import { startingLikelihoods } from '@/db/queries/indicators';
import { getQuestionForUser } from '@/db/queries/questions';
import { formatTime } from '@/lib/format';
import { parseId } from '@/lib/ids';
import { whyClosedToInput } from '@/lib/question-status';
import { orNotFound, pageId } from '@/server/pages';
import { requireActor } from '@/server/session';
import { submitUpdateAction } from '../../actions';
import { UpdatePanel } from '../../UpdatePanel';
import { FreeText } from '../../../../_components/FreeText';

export const metadata = { title: 'Update on new evidence' };

export default async function UpdatePage({ params }: { params: Promise<{ id: string; eventId: string }> }) {
  const actor = await requireActor();
  const { id, eventId } = await params;
  const db = await getDb();
  const q = await orNotFound(getQuestionForUser(db, actor, pageId(id)));
  const wanted = parseId(eventId);
  const event = wanted === null ? undefined : (await listIndicatorEvents(db, actor, q)).find((e) => e.id === wanted);
  if (!event) notFound();
  const back = <p className="small"><Link href={`/questions/${q.id}`}>← {q.title}</Link></p>;
  const refuse = (message: string) => (
    <>
      {back}
      <p className="notice">{message}</p>
    </>
  );
  if (actor.role === 'viewer') return refuse('Viewers do not forecast.');
  const closed = whyClosedToInput(q.status, q);
  if (closed) return refuse(closed);
  if (event.retracted) return refuse('This event was retracted by a team lead: there is nothing to update on.');
  const standing = await getMyStandingForecast(db, actor, q);
  if (!standing) return refuse('An update starts from your standing forecast: make a first forecast on this question, then update.');
  const start = await startingLikelihoods(db, actor, event.indicatorId);
  const indicator = q.indicators.find((i) => i.id === event.indicatorId);

  return (
    <>
      {back}
      <h1>Update on: {event.indicatorName}</h1>
      <section className="card">
        <p>
          <strong>{event.kind === 'observed' ? 'Observed' : 'Deadline passed without it'}</strong> at {formatTime(event.occurredAt)}, logged by{' '}
          {event.loggedBy.name}.{event.illustrative && <span className="badge illustrative"> Illustrative</span>}
        </p>
        {indicator?.description && <p className="small muted"><FreeText text={indicator.description} /></p>}
        {event.note && <p style={{ whiteSpace: 'pre-wrap' }}><FreeText text={event.note} /></p>}
        {event.sourceUrl && (
          <p className="small">
            Source: <a href={event.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">{event.sourceUrl}</a>
          </p>
        )}
      </section>
      <section className="card">
        <h2>Your Bayesian update</h2>
        <UpdatePanel
          action={submitUpdateAction.bind(null, q.id)}
          eventId={event.id}
          observed={event.kind === 'observed'}
          scenarios={q.scenarios.map((s) => ({ id: s.id, name: s.name }))}
          prior={q.scenarios.map((s) => standing.probabilities.get(s.id) ?? 0)}
          likelihoods={start?.likelihoods ?? null}
          likelihoodSource={start?.source ?? null}
        />
      </section>
    </>
  );
}
