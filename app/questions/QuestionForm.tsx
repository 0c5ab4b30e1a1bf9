'use client';

import { useServerForm } from '../_components/useServerForm';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { FieldError, FormMessage } from '../_components/FormMessage';

export interface QuestionFormValues {
  title: string;
  background: string;
  resolutionCriteria: string;
  opensAt: string;
  closesAt: string;
  staleAfterDays: number;
  antiHerding: boolean;
  scenarios: { id: number | null; name: string; description: string }[];
  indicators: { id: number | null; name: string; description: string; deadline: string }[];
}

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
let nextKey = 1;
const key = () => `k${nextKey++}`;

export function QuestionForm({
  action,
  initial,
  scenariosFixed,
  submitLabel,
}: {
  action: Action;
  initial: QuestionFormValues;
  scenariosFixed: boolean;
  submitLabel: string;
}) {
  const { state, pending, formProps } = useServerForm(action);
  const [scenarios, setScenarios] = useState(() => initial.scenarios.map((s) => ({ ...s, key: key() })));
  const [indicators, setIndicators] = useState(() => initial.indicators.map((s) => ({ ...s, key: key() })));
  const hasOther = scenarios.some((s) => /^other\b/i.test(s.name.trim()));

  return (
    <form {...formProps} noValidate>
      <label htmlFor="title">Title</label>
      <input id="title" name="title" defaultValue={initial.title} maxLength={200} required />
      <FieldError state={state} name="title" />
      <label htmlFor="background">Background</label>
      <textarea id="background" name="background" defaultValue={initial.background} rows={5} />
      <FieldError state={state} name="background" />
      <label htmlFor="resolutionCriteria">Resolution criteria</label>
      <textarea id="resolutionCriteria" name="resolutionCriteria" defaultValue={initial.resolutionCriteria} rows={3} required />
      <FieldError state={state} name="resolutionCriteria" />
      <div className="grid2">
        <div>
          <label htmlFor="opensAt">Opens at (UTC)</label>
          <input id="opensAt" name="opensAt" type="datetime-local" defaultValue={initial.opensAt} required />
          <FieldError state={state} name="opensAt" />
        </div>
        <div>
          <label htmlFor="closesAt">Closes at (UTC)</label>
          <input id="closesAt" name="closesAt" type="datetime-local" defaultValue={initial.closesAt} required />
          <FieldError state={state} name="closesAt" />
        </div>
        <div>
          <label htmlFor="staleAfterDays">A forecast is stale after (days)</label>
          <input id="staleAfterDays" name="staleAfterDays" type="number" min={1} max={365} defaultValue={initial.staleAfterDays} />
          <FieldError state={state} name="staleAfterDays" />
        </div>
        <div>
          <label>
            <input type="checkbox" name="antiHerding" defaultChecked={initial.antiHerding} /> Hide the team&apos;s view until a
            forecaster has made a first forecast
          </label>
        </div>
      </div>

      <h2>Scenarios</h2>
      <p className="muted small">
        2 to 12 mutually exclusive scenarios that together cover every outcome.
        {scenariosFixed && ' This question has forecasts: the scenarios are fixed, but you can reword them.'}
      </p>
      {scenarios.map((s, i) => (
        <div className="repeat-row" key={s.key}>
          <input type="hidden" name="scenarioId" value={s.id ?? ''} />
          <label htmlFor={`scenario-name-${s.key}`}>Scenario {i + 1}</label>
          <input
            id={`scenario-name-${s.key}`}
            name="scenarioName"
            defaultValue={s.name}
            maxLength={120}
            onChange={(e) => setScenarios((rows) => rows.map((r) => (r.key === s.key ? { ...r, name: e.target.value } : r)))}
          />
          <label htmlFor={`scenario-desc-${s.key}`} className="small">Scenario {i + 1} description</label>
          <textarea id={`scenario-desc-${s.key}`} name="scenarioDescription" defaultValue={s.description} rows={2} />
          {!scenariosFixed && (
            <button type="button" className="secondary" onClick={() => setScenarios((rows) => rows.filter((r) => r.key !== s.key))}>
              Remove scenario {i + 1}
            </button>
          )}
        </div>
      ))}
      <FieldError state={state} name="scenarios" />
      {!scenariosFixed && (
        <div className="row">
          <button type="button" className="secondary" disabled={scenarios.length >= 12}
            onClick={() => setScenarios((rows) => [...rows, { id: null, name: '', description: '', key: key() }])}>
            Add scenario
          </button>
          {!hasOther && (
            <button type="button" className="secondary" disabled={scenarios.length >= 12}
              onClick={() => setScenarios((rows) => [...rows, { id: null, name: 'Other', description: 'Anything the scenarios above do not cover.', key: key() }])}>
              Add &quot;Other&quot; scenario
            </button>
          )}
        </div>
      )}

      <h2>Indicators</h2>
      <p className="muted small">Observable signposts, defined before they happen, that would shift the odds between scenarios.</p>
      {indicators.map((ind, i) => (
        <div className="repeat-row" key={ind.key}>
          <input type="hidden" name="indicatorId" value={ind.id ?? ''} />
          <label htmlFor={`indicator-name-${ind.key}`}>Indicator {i + 1}</label>
          <input id={`indicator-name-${ind.key}`} name="indicatorName" defaultValue={ind.name} maxLength={200} />
          <label htmlFor={`indicator-desc-${ind.key}`} className="small">Indicator {i + 1} description</label>
          <textarea id={`indicator-desc-${ind.key}`} name="indicatorDescription" defaultValue={ind.description} rows={2} />
          <label htmlFor={`indicator-deadline-${ind.key}`} className="small">Indicator {i + 1} deadline (UTC, optional)</label>
          <input id={`indicator-deadline-${ind.key}`} name="indicatorDeadline" type="datetime-local" defaultValue={ind.deadline} />
          <button type="button" className="secondary" onClick={() => setIndicators((rows) => rows.filter((r) => r.key !== ind.key))}>
            Remove indicator {i + 1}
          </button>
        </div>
      ))}
      <FieldError state={state} name="indicators" />
      <button type="button" className="secondary"
        onClick={() => setIndicators((rows) => [...rows, { id: null, name: '', description: '', deadline: '', key: key() }])}>
        Add indicator
      </button>

      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>{pending ? 'Saving…' : submitLabel}</button>
      </p>
    </form>
  );
}
