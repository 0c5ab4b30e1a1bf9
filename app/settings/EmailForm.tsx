'use client';

import type { EmailChoice } from '@/lib/domain';
import { useServerForm } from '../_components/useServerForm';
import { FieldError, FormMessage } from '../_components/FormMessage';
import { setEmailChoiceAction } from './actions';

const CHOICES: { value: EmailChoice; label: string }[] = [
  { value: 'immediate', label: 'At once: one email per notification' },
  { value: 'daily', label: 'A daily digest (around 07:00 UTC)' },
  { value: 'weekly', label: 'A weekly digest (Mondays)' },
  { value: 'off', label: 'Off: no email (the bell still works)' },
];

export function EmailChoiceForm({ current }: { current: EmailChoice }) {
  const { state, pending, formProps } = useServerForm(setEmailChoiceAction, { reset: 'never' });
  return (
    <form {...formProps} noValidate aria-label="Email notifications">
      <fieldset>
        <legend>Email me</legend>
        {CHOICES.map((c) => (
          <div key={c.value}>
            <input type="radio" id={`email-${c.value}`} name="email" value={c.value} defaultChecked={c.value === current} />{' '}
            <label htmlFor={`email-${c.value}`} style={{ display: 'inline' }}>{c.label}</label>
          </div>
        ))}
      </fieldset>
      <FieldError state={state} name="email" />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>Save email choice</button>
      </p>
    </form>
  );
}
