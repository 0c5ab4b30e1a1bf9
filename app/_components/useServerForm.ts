'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { ActionState } from '@/lib/errors';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

const initial: ActionState = { ok: false };

/**
 * A server-action form that keeps what the user typed when the server refuses it. React
 * resets a form after every action it runs through the `action` attribute, which would wipe
 * a long question or forecast on a validation error; submitting through onSubmit avoids that,
 * and the form is reset here only on success (or always, for a password). The `action`
 * attribute stays for progressive enhancement: without JavaScript the form still posts.
 */
export function useServerForm(action: Action, options: { reset?: 'success' | 'always' | 'never' } = {}) {
  const [state, formAction, pending] = useActionState(action, initial);
  const ref = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);
  const reset = options.reset ?? 'success';
  useEffect(() => {
    if (!submitted.current) return;
    submitted.current = false;
    if (reset === 'always' || (reset === 'success' && state.ok)) ref.current?.reset();
  }, [state, reset]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    submitted.current = true;
    startTransition(() => formAction(data));
  };
  return { state, pending, formProps: { ref, action: formAction, onSubmit } };
}
