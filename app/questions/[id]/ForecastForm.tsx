'use client';

import { useServerForm } from '../../_components/useServerForm';
import { useState } from 'react';
import { parseProbabilityText } from '@/lib/probability';
import type { ActionState } from '@/lib/errors';
import { FormMessage } from '../../_components/FormMessage';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export interface ScenarioField {
  id: number;
  name: string;
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** Scales the entries to total 100, to one decimal, the last absorbing the rounding. */
export function normaliseTo100(values: number[]): number[] | null {
  const total = values.reduce((a, b) => a + b, 0);
  if (!(total > 0) || values.some((v) => !Number.isFinite(v) || v < 0)) return null;
  const scaled = values.map((v) => Math.round((v / total) * 1000) / 10);
  const drift = Math.round((100 - scaled.reduce((a, b) => a + b, 0)) * 10) / 10;
  const iMax = scaled.indexOf(Math.max(...scaled));
  scaled[iMax] = Math.round((scaled[iMax]! + drift) * 10) / 10;
  return scaled;
}

export function ForecastInputs({
  scenarios,
  values,
  onChange,
  prefix = 'p_',
  label = (s) => s.name,
}: {
  scenarios: ScenarioField[];
  values: string[];
  onChange: (values: string[]) => void;
  prefix?: string;
  label?: (s: ScenarioField) => string;
}) {
  return (
    <div className="forecast-grid">
      {scenarios.map((s, i) => (
        <div key={s.id} style={{ display: 'contents' }}>
          <label htmlFor={`${prefix}${s.id}`}>{label(s)}</label>
          <div className="row" style={{ flexWrap: 'nowrap', gap: '0.3rem' }}>
            <input
              id={`${prefix}${s.id}`}
              name={`${prefix}${s.id}`}
              inputMode="decimal"
              autoComplete="off"
              value={values[i] ?? ''}
              onChange={(e) => onChange(values.map((v, j) => (j === i ? e.target.value : v)))}
              onBlur={(e) => {
                // Accept odds ("3:1") and frequencies ("1 in 20") and turn them into percent.
                const text = e.target.value.trim();
                if (!text || /^[\d.]+%?$/.test(text)) return;
                try {
                  const p = parseProbabilityText(text);
                  onChange(values.map((v, j) => (j === i ? fmt(p * 100) : v)));
                } catch {
                  /* left as typed; the server names the problem */
                }
              }}
            />
            <span aria-hidden>%</span>
          </div>
        </div>
      ))}
    </div>
  );
}

/** A typed percentage, or 0 when the field does not hold a plain number yet. */
export const percentOf = (v: string) => Number(v.trim().replace(/%$/, '')) || 0;

/** The running total of a forecast's percentages and a one-click normalisation to 100%. */
export function TotalRow({ values, onChange, children }: { values: string[]; onChange: (v: string[]) => void; children?: React.ReactNode }) {
  const total = values.reduce((sum, v) => sum + percentOf(v), 0);
  return (
    <p className="row">
      <span className={`total ${Math.abs(total - 100) <= 0.5 ? '' : 'bad'}`} data-testid="forecast-total">
        Total: {fmt(total)}%
      </span>
      {children}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          const n = normaliseTo100(values.map(percentOf));
          if (n) onChange(n.map(fmt));
        }}
      >
        Normalise to 100%
      </button>
    </p>
  );
}

export function ForecastForm({
  action,
  scenarios,
  initial,
  children,
  submitLabel = 'Submit forecast',
}: {
  action: Action;
  scenarios: ScenarioField[];
  initial: number[] | null;
  children?: React.ReactNode;
  submitLabel?: string;
}) {
  const { state, pending, formProps } = useServerForm(action);
  const [values, setValues] = useState<string[]>(() => scenarios.map((_, i) => (initial ? fmt((initial[i] ?? 0) * 100) : '')));
  return (
    <form {...formProps} noValidate aria-label="Forecast">
      {children}
      <ForecastInputs scenarios={scenarios} values={values} onChange={setValues} />
      <TotalRow values={values} onChange={setValues} />
      <label htmlFor="rationale">Rationale (optional)</label>
      <textarea id="rationale" name="rationale" maxLength={5000} rows={3} />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>{pending ? 'Saving…' : submitLabel}</button>
      </p>
    </form>
  );
}
