'use client';

import { useServerForm } from '../../_components/useServerForm';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { FieldError, FormMessage } from '../../_components/FormMessage';
import { ForecastInputs, type ScenarioField } from './ForecastForm';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

const pctText = (p: number) => (Math.round(p * 1000) / 10).toString();

/** Likelihoods P(indicator observed | scenario) in percent, one per scenario. */
export function LikelihoodForm({
  action,
  scenarios,
  initial,
  submitLabel,
  formLabel,
}: {
  action: Action;
  scenarios: ScenarioField[];
  initial: number[] | null;
  submitLabel: string;
  formLabel: string;
}) {
  const { state, pending, formProps } = useServerForm(action);
  const [values, setValues] = useState(() => scenarios.map((_, k) => (initial ? pctText(initial[k] ?? 0) : '')));
  return (
    <form {...formProps} noValidate aria-label={formLabel}>
      <p className="small muted">How likely is this indicator to be observed if each scenario is the true one? Each 0–100%; they need not total 100%.</p>
      <ForecastInputs scenarios={scenarios} values={values} onChange={setValues} prefix="l_" label={(s) => `If ${s.name}`} />
      <FormMessage state={state} />
      <button type="submit" className="secondary" disabled={pending}>{submitLabel}</button>
    </form>
  );
}

export function EventForm({
  action,
  indicators,
  canRecordDeadline,
  defaultTime,
}: {
  action: Action;
  indicators: { id: number; name: string; deadlinePassed: boolean }[];
  canRecordDeadline: boolean;
  defaultTime: string;
}) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} noValidate aria-label="Log an indicator event">
      <div className="grid2">
        <div>
          <label htmlFor="event-indicator">Indicator</label>
          <select id="event-indicator" name="indicatorId" defaultValue="">
            <option value="" disabled>Choose an indicator…</option>
            {indicators.map((i) => (
              <option key={i.id} value={i.id}>{i.name}</option>
            ))}
          </select>
          <FieldError state={state} name="indicatorId" />
        </div>
        <div>
          <label htmlFor="event-kind">What happened</label>
          <select id="event-kind" name="kind" defaultValue="observed">
            <option value="observed">It was observed</option>
            {canRecordDeadline && <option value="deadline_passed">Its deadline passed without it</option>}
          </select>
        </div>
        <div>
          <label htmlFor="event-time">When (UTC)</label>
          <input id="event-time" name="occurredAt" type="datetime-local" defaultValue={defaultTime} />
          <FieldError state={state} name="occurredAt" />
        </div>
        <div>
          <label htmlFor="event-source">Source link</label>
          <input id="event-source" name="sourceUrl" type="url" placeholder="https://…" />
          <FieldError state={state} name="sourceUrl" />
        </div>
      </div>
      <label htmlFor="event-note">Note</label>
      <textarea id="event-note" name="note" rows={2} maxLength={2000} />
      <FieldError state={state} name="note" />
      <FormMessage state={state} />
      <button type="submit" disabled={pending}>Log event</button>
    </form>
  );
}

export function RetractForm({ action, label }: { action: Action; label: string }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <details>
      <summary className="small">Retract</summary>
      <form {...formProps} noValidate aria-label={label}>
        <label htmlFor={`${label}-reason`} className="small">Reason for the retraction</label>
        <input id={`${label}-reason`} name="reason" maxLength={1000} />
        <FormMessage state={state} />
        <button type="submit" className="danger" disabled={pending}>Retract event</button>
      </form>
    </details>
  );
}

export function SimpleActionButton({ action, label, className = 'secondary' }: { action: Action; label: string; className?: string }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} style={{ display: 'inline' }}>
      <button type="submit" className={className} disabled={pending}>{label}</button>
      <FormMessage state={state} />
    </form>
  );
}

export function AddIndicatorForm({ action }: { action: Action }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <details>
      <summary>Add an indicator</summary>
      <form {...formProps} noValidate aria-label="Add an indicator">
        <label htmlFor="new-indicator-name">Name</label>
        <input id="new-indicator-name" name="name" maxLength={200} />
        <FieldError state={state} name="name" />
        <label htmlFor="new-indicator-description">Description</label>
        <textarea id="new-indicator-description" name="description" rows={2} />
        <label htmlFor="new-indicator-deadline">Deadline (UTC, optional)</label>
        <input id="new-indicator-deadline" name="deadline" type="datetime-local" />
        <FieldError state={state} name="deadline" />
        <FormMessage state={state} />
        <button type="submit" disabled={pending}>Add indicator</button>
      </form>
    </details>
  );
}
