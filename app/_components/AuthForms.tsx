'use client';

import { useServerForm } from './useServerForm';
import { useEffect, useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { FieldError, FormMessage } from './FormMessage';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function SignInForm({ action, from }: { action: Action; from?: string }) {
  const { state, pending, formProps } = useServerForm(action, { reset: 'never' });
  // Controlled, so a refused attempt keeps the email and clears only the password.
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  useEffect(() => setPassword(''), [state]);
  return (
    <form {...formProps} noValidate>
      {from && <input type="hidden" name="from" value={from} />}
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <FieldError state={state} name="email" />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <FieldError state={state} name="password" />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </p>
    </form>
  );
}

export function AccountForm({ action, email, submitLabel }: { action: Action; email?: string | null; submitLabel: string }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} noValidate>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" autoComplete="name" required />
      <FieldError state={state} name="name" />
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" defaultValue={email ?? ''} readOnly={Boolean(email)} required />
      <FieldError state={state} name="email" />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="new-password" minLength={10} required />
      <p className="small muted">At least 10 characters.</p>
      <FieldError state={state} name="password" />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>
          {pending ? 'Working…' : submitLabel}
        </button>
      </p>
    </form>
  );
}

/** The single sign-on button: a plain form, so it works before (and without) scripts. */
export function SsoSignInForm({ action, label, from }: { action: (form: FormData) => Promise<void>; label: string; from?: string }) {
  return (
    <form action={action} className="sso">
      {from && <input type="hidden" name="from" value={from} />}
      <p>
        <button type="submit">Sign in with {label}</button>
      </p>
    </form>
  );
}
