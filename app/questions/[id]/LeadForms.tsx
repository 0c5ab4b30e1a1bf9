'use client';

import { useServerForm } from '../../_components/useServerForm';
import type { ActionState } from '@/lib/errors';
import { FieldError, FormMessage } from '../../_components/FormMessage';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function MethodForm({
  action,
  methods,
  current,
  alpha,
  skill,
}: {
  action: Action;
  methods: { id: string; label: string }[];
  current: string;
  alpha: number;
  skill: { priorCount: number; temperature: number };
}) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} className="row" aria-label="Aggregation method">
      <label htmlFor="methodId" style={{ margin: 0 }}>Team forecast method</label>
      <select id="methodId" name="methodId" defaultValue={current} style={{ width: 'auto' }}>
        {methods.map((m) => (
          <option key={m.id} value={m.id}>{m.label}</option>
        ))}
      </select>
      <label htmlFor="alpha" style={{ margin: 0 }}>Extremising power (1–5)</label>
      <input id="alpha" name="alpha" inputMode="decimal" autoComplete="off" defaultValue={String(alpha)} style={{ width: '5em' }} aria-describedby="alpha-help" />
      <span id="alpha-help" className="small muted">used by the extremised methods</span>
      <FieldError state={state} name="alpha" />
      <label htmlFor="temperature" style={{ margin: 0 }}>Skill temperature (above 0, at most 10)</label>
      <input id="temperature" name="temperature" inputMode="decimal" autoComplete="off" defaultValue={String(skill.temperature)} style={{ width: '5em' }} aria-describedby="skill-help" />
      <FieldError state={state} name="temperature" />
      <label htmlFor="priorCount" style={{ margin: 0 }}>Skill prior count (0–1000)</label>
      <input id="priorCount" name="priorCount" inputMode="decimal" autoComplete="off" defaultValue={String(skill.priorCount)} style={{ width: '5em' }} aria-describedby="skill-help" />
      <FieldError state={state} name="priorCount" />
      <span id="skill-help" className="small muted">used by the skill-weighted methods: a lower temperature gives better records more weight</span>
      <button type="submit" className="secondary" disabled={pending}>Save method</button>
      <FormMessage state={state} />
    </form>
  );
}

export function ResolveForm({
  action,
  scenarios,
  defaultTime,
  correcting,
}: {
  action: Action;
  scenarios: { id: number; name: string }[];
  defaultTime: string;
  correcting: boolean;
}) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} noValidate aria-label={correcting ? 'Correct the resolution' : 'Resolve'}>
      <div className="grid2">
        <div>
          <label htmlFor="resolve-scenario">Scenario that happened</label>
          <select id="resolve-scenario" name="scenarioId" defaultValue="">
            <option value="" disabled>Choose…</option>
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
          <FieldError state={state} name="scenarioId" />
        </div>
        <div>
          <label htmlFor="resolve-time">Resolved at (UTC)</label>
          <input id="resolve-time" name="resolvedAt" type="datetime-local" defaultValue={defaultTime} />
          <FieldError state={state} name="resolvedAt" />
        </div>
      </div>
      <label htmlFor="resolve-note">Evidence (a note or a link)</label>
      <textarea id="resolve-note" name="note" rows={2} maxLength={2000} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending}>{correcting ? 'Correct resolution' : 'Resolve question'}</button>
    </form>
  );
}

export function AnnulForm({ action }: { action: Action }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} noValidate aria-label="Annul">
      <label htmlFor="annul-reason">Reason for annulling</label>
      <input id="annul-reason" name="reason" maxLength={1000} />
      <FormMessage state={state} />
      <button type="submit" className="danger" disabled={pending}>Annul question</button>
    </form>
  );
}
