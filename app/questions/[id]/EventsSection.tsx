import type { Actor } from '@/db/queries/access';
import type { EventView } from '@/db/queries/events';
import type { QuestionDetail } from '@/db/queries/questions';
import { formatTime } from '@/lib/format';
import { logEventAction, retractEventAction } from './actions';
import { EventForm, RetractForm } from './IndicatorForms';
import { FreeText } from '../../_components/FreeText';

export function EventsSection({ q, actor, events, now }: { q: QuestionDetail; actor: Actor; events: EventView[]; now: number }) {
  const canLog = actor.role !== 'viewer' && q.status === 'open';
  const local = new Date(now).toISOString().slice(0, 16);
  return (
    <section className="card" aria-labelledby="events-heading">
      <h2 id="events-heading">Indicator events</h2>
      {events.length === 0 && <p className="muted">No indicator events logged yet.</p>}
      <ol className="plain" data-testid="event-timeline">
        {events.map((e) => (
          <li key={e.id} data-testid={`event-${e.id}`}>
            <div className="row">
              <strong style={e.retracted ? { textDecoration: 'line-through' } : undefined}>{e.indicatorName}</strong>
              <span className="badge">{e.kind === 'observed' ? 'Observed' : 'Deadline passed unobserved'}</span>
              {e.retracted && <span className="badge warn">Retracted</span>}
              {e.illustrative && <span className="badge illustrative">Illustrative</span>}
            </div>
            <div className="small muted">
              {formatTime(e.occurredAt)} · logged by {e.loggedBy.name} on {formatTime(e.createdAt)}
            </div>
            {e.note && <div className="small" style={{ whiteSpace: 'pre-wrap' }}><FreeText text={e.note} /></div>}
            {e.sourceUrl && (
              <div className="small">
                <a href={e.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">Source</a>
              </div>
            )}
            {e.retracted && (
              <div className="small notice">
                Retracted by {e.retracted.by} on {formatTime(e.retracted.at)}: <FreeText text={e.retracted.reason} />
              </div>
            )}
            {actor.role === 'lead' && !e.retracted && q.status !== 'resolved' && q.status !== 'annulled' && (
              <RetractForm action={retractEventAction.bind(null, q.id, e.id)} label={`Retract event ${e.id}`} />
            )}
          </li>
        ))}
      </ol>
      {canLog && (
        <details>
          <summary>Log an indicator event</summary>
          <EventForm
            action={logEventAction.bind(null, q.id)}
            indicators={q.indicators.filter((i) => i.retiredAt === null).map((i) => ({ id: i.id, name: i.name, deadlinePassed: i.deadline !== null && i.deadline <= now }))}
            canRecordDeadline={actor.role === 'lead'}
            defaultTime={local}
          />
        </details>
      )}
    </section>
  );
}
