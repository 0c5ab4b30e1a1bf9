'use client';

import { useServerForm } from '../_components/useServerForm';
import { FieldError, FormMessage } from '../_components/FormMessage';
import { changePasswordAction, signOutEverywhereAction } from './actions';

export function ChangePasswordForm() {
  const { state, pending, formProps } = useServerForm(changePasswordAction, { reset: 'always' });
  return (
    <form {...formProps} noValidate aria-label="Change password">
      <label htmlFor="password-current">Current password</label>
      <input id="password-current" name="current" type="password" autoComplete="current-password" required />
      <FieldError state={state} name="current" />
      <label htmlFor="password-next">New password (at least 10 characters)</label>
      <input id="password-next" name="next" type="password" autoComplete="new-password" minLength={10} required />
      <FieldError state={state} name="next" />
      <label htmlFor="password-confirm">New password again</label>
      <input id="password-confirm" name="confirm" type="password" autoComplete="new-password" required />
      <FieldError state={state} name="confirm" />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>Change password</button>
      </p>
    </form>
  );
}

export function SignOutEverywhereForm() {
  const { state, pending, formProps } = useServerForm(signOutEverywhereAction);
  return (
    <form {...formProps} aria-label="Sign out everywhere">
      <FormMessage state={state} />
      <button type="submit" className="secondary" disabled={pending}>Sign out everywhere</button>
    </form>
  );
}
