'use client';

import { useServerForm } from '../../_components/useServerForm';
import { useMemo, useState } from 'react';
import { posterior, posteriorUnobserved } from '@/lib/bayes';
import { clampVector } from '@/lib/probability';
import type { ActionState } from '@/lib/errors';
import { FormMessage } from '../../_components/FormMessage';
import { ForecastInputs, TotalRow, normaliseTo100, type ScenarioField } from './ForecastForm';
import { TableBox } from '../../_components/TableBox';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * The forecast the panel proposes for a posterior: kept inside the input rule's bounds
 * (0.1%-99.9%, so a scenario the likelihoods rule out still gets the minimum and the
 * forecaster can submit it), at one decimal, totalling exactly 100.
 */
const prefill = (q: number[]) => normaliseTo100(clampVector(q).map((p) => p * 100))!.map(String);

const one = (p: number) => (Math.round(p * 1000) / 10).toString();
const readPct = (v: string) => {
  const n = Number(v.trim().replace(/%$/, ''));
  return v.trim() === '' || !Number.isFinite(n) ? NaN : n;
};

/**
 * The update panel: prior (the standing forecast) × likelihoods (editable) → posterior, and a
 * forecast form pre-filled with that posterior, which the forecaster may accept or adjust.
 */
export function UpdatePanel({
  action,
  eventId,
  observed,
  scenarios,
  prior,
  likelihoods,
  likelihoodSource,
}: {
  action: Action;
  eventId: number;
  observed: boolean;
  scenarios: ScenarioField[];
  prior: number[];
  likelihoods: number[] | null;
  likelihoodSource: 'mine' | 'team' | null;
}) {
  const { state, pending, formProps } = useServerForm(action);
  const [lk, setLk] = useState(() => scenarios.map((_, k) => (likelihoods ? one(likelihoods[k] ?? 0) : '')));
  const implied = useMemo(() => {
    const l = lk.map((v) => readPct(v) / 100);
    if (l.some((x) => !(x >= 0 && x <= 1)) || l.every((x) => x === 0)) return null;
    try {
      return observed ? posterior(prior, l) : posteriorUnobserved(prior, l);
    } catch {
      return null;
    }
  }, [lk, observed, prior]);
  const [values, setValues] = useState(() => (implied ? prefill(implied) : prior.map((p) => one(p))));
  const [touched, setTouched] = useState(false);
  const onLikelihoods = (next: string[]) => {
    setLk(next);
    if (touched) return;
    // Until the forecaster edits the forecast, it follows the posterior.
    const l = next.map((v) => readPct(v) / 100);
    if (l.some((x) => !(x >= 0 && x <= 1)) || l.every((x) => x === 0)) return;
    const q = observed ? posterior(prior, l) : posteriorUnobserved(prior, l);
    setValues(prefill(q));
  };
  const zeros = lk.map((v, k) => (readPct(v) === (observed ? 0 : 100) ? scenarios[k]!.name : null)).filter(Boolean);

  return (
    <form {...formProps} noValidate aria-label="Update">
      <input type="hidden" name="eventId" value={eventId} />
      <TableBox label="Bayesian update">
      <table aria-label="Bayesian update">
        <thead>
          <tr>
            <th>Scenario</th>
            <th className="num">Prior (your standing forecast)</th>
            <th className="num">P(indicator observed | scenario)</th>
            <th className="num">Posterior</th>
          </tr>
        </thead>
        <tbody>
          {scenarios.map((s, k) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td className="num" data-testid={`prior-${k}`}>{one(prior[k]!)}%</td>
              <td className="num">
                <input
                  aria-label={`Likelihood if ${s.name}`}
                  name={`l_${s.id}`}
                  inputMode="decimal"
                  value={lk[k]}
                  onChange={(e) => onLikelihoods(lk.map((v, j) => (j === k ? e.target.value : v)))}
                  style={{ width: '6rem', textAlign: 'right' }}
                />
                %
              </td>
              <td className="num" data-testid={`posterior-${k}`}>{implied ? `${(implied[k]! * 100).toFixed(2)}%` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableBox>
      <p className="small muted">
        {observed ? 'Posterior = prior × likelihood, renormalised.' : 'The indicator did not happen by its deadline: posterior = prior × (1 − likelihood), renormalised.'}{' '}
        {likelihoodSource === 'mine' && 'The likelihoods are your latest for this indicator; edit them here if the event changed your view.'}
        {likelihoodSource === 'team' && 'You have no likelihoods of your own for this indicator yet: these are the team defaults.'}
        {likelihoodSource === null && 'Enter your likelihoods for this indicator.'}
      </p>
      {zeros.length > 0 && (
        <p className="notice" role="status">
          Warning: a likelihood of {observed ? '0%' : '100%'} rules out {zeros.join(', ')} entirely. The posterior gives it 0%, and a
          forecast must keep every scenario at 0.1% or more: make sure you mean it.
        </p>
      )}
      <h3>Your updated forecast</h3>
      <ForecastInputs scenarios={scenarios} values={values} onChange={(v) => { setTouched(true); setValues(v); }} />
      <TotalRow values={values} onChange={setValues}>
        <button type="button" className="secondary" disabled={!implied} onClick={() => { setTouched(false); if (implied) setValues(prefill(implied)); }}>
          Use the posterior
        </button>
      </TotalRow>
      <label htmlFor="rationale">Rationale (optional)</label>
      <textarea id="rationale" name="rationale" rows={3} maxLength={5000} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending}>Save update</button>
    </form>
  );
}
