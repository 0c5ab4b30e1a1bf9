import type { Actor } from '@/db/queries/access';
import type { IndicatorView } from '@/db/queries/indicators';
import type { QuestionDetail } from '@/db/queries/questions';
import { formatTime } from '@/lib/format';
import { addIndicatorAction, recordLikelihoodsAction, retireIndicatorAction } from './actions';
import { AddIndicatorForm, LikelihoodForm, SimpleActionButton } from './IndicatorForms';
import { FreeText } from '../../_components/FreeText';
import { TableBox } from '../../_components/TableBox';

const cell = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);

function LikelihoodRow({ label, values, k }: { label: string; values: number[] | null; k: number }) {
  return values ? <td className="num">{cell(values[k])}</td> : <td className="num muted">{k === 0 ? label : ''}</td>;
}

export function IndicatorsSection({ q, actor, views }: { q: QuestionDetail; actor: Actor; views: IndicatorView[] }) {
  const settled = q.status === 'resolved' || q.status === 'annulled';
  const canJudge = actor.role !== 'viewer' && !settled;
  const scenarios = q.scenarios.map((s) => ({ id: s.id, name: s.name }));
  const active = views.filter((v) => v.retiredAt === null);
  const retired = views.filter((v) => v.retiredAt !== null);
  return (
    <section className="card" aria-labelledby="indicators-heading">
      <h2 id="indicators-heading">Indicators</h2>
      {views.length === 0 && <p className="muted">No indicators defined.</p>}
      <ul className="plain" data-testid="indicator-list">
        {active.map((ind) => (
          <li key={ind.id} data-testid={`indicator-${ind.id}`}>
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <strong>{ind.name}</strong>
              <span className="small">
                {ind.diagnosticity && (
                  <span
                    className={`badge ${ind.diagnosticity.informative ? 'resolved' : 'warn'}`}
                    title="Diagnosticity: the largest likelihood divided by the smallest (team pooled, else team default)"
                  >
                    Diagnosticity {Number.isFinite(ind.diagnosticity.ratio) ? `${ind.diagnosticity.ratio.toFixed(1)}×` : '∞'}
                    {!ind.diagnosticity.informative && ': cannot tell the scenarios apart'}
                  </span>
                )}
              </span>
            </div>
            {ind.deadline !== null && <div className="small muted">Deadline {formatTime(ind.deadline)}</div>}
            {ind.description && <div className="small muted"><FreeText text={ind.description} /></div>}
            <TableBox label={`Likelihoods for ${ind.name}`}>
            <table className="small" aria-label={`Likelihoods for ${ind.name}`} style={{ marginTop: '0.4rem' }}>
              <thead>
                <tr>
                  <th>P(observed | scenario)</th>
                  {q.scenarios.map((s) => <th key={s.id} className="num">{s.name}</th>)}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>Yours</td>
                  {q.scenarios.map((s, k) => <LikelihoodRow key={s.id} label="not recorded" values={ind.mine} k={k} />)}
                </tr>
                <tr>
                  {ind.pooledHidden ? (
                    <td>Team pooled</td>
                  ) : (
                    <td>Team pooled ({ind.pooledCount} forecaster{ind.pooledCount === 1 ? '' : 's'}, geometric mean)</td>
                  )}
                  {q.scenarios.map((s, k) => (
                    <LikelihoodRow key={s.id} label={ind.pooledHidden ? 'shown after your first forecast' : 'none yet'} values={ind.pooled} k={k} />
                  ))}
                </tr>
                <tr>
                  <td>Team default</td>
                  {q.scenarios.map((s, k) => <LikelihoodRow key={s.id} label="not set" values={ind.teamDefault} k={k} />)}
                </tr>
              </tbody>
            </table>
            </TableBox>
            {canJudge && (
              <details>
                <summary className="small">Record your likelihoods</summary>
                <LikelihoodForm
                  action={recordLikelihoodsAction.bind(null, q.id, ind.id, false)}
                  scenarios={scenarios}
                  initial={ind.mine ?? ind.teamDefault}
                  submitLabel="Save my likelihoods"
                  formLabel={`Your likelihoods for ${ind.name}`}
                />
                {ind.myHistory.length > 1 && (
                  <p className="small muted">
                    Your earlier judgements:{' '}
                    {ind.myHistory.slice(1).map((h) => `${formatTime(h.createdAt)} (${h.likelihoods.map((l) => cell(l)).join(' / ')})`).join('; ')}
                  </p>
                )}
              </details>
            )}
            {actor.role === 'lead' && !settled && (
              <details>
                <summary className="small">Team lead: set team defaults or retire</summary>
                <LikelihoodForm
                  action={recordLikelihoodsAction.bind(null, q.id, ind.id, true)}
                  scenarios={scenarios}
                  initial={ind.teamDefault}
                  submitLabel="Save team defaults"
                  formLabel={`Team default likelihoods for ${ind.name}`}
                />
                <SimpleActionButton action={retireIndicatorAction.bind(null, q.id, ind.id)} label={`Retire ${ind.name}`} />
              </details>
            )}
          </li>
        ))}
      </ul>
      {retired.length > 0 && (
        <p className="small muted">Retired: {retired.map((r) => r.name).join('; ')}</p>
      )}
      {actor.role === 'lead' && !settled && <AddIndicatorForm action={addIndicatorAction.bind(null, q.id)} />}
    </section>
  );
}
