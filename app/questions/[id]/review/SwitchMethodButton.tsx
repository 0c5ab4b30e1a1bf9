'use client';

import { useServerForm } from '../../../_components/useServerForm';
import type { ActionState } from '@/lib/errors';
import { FormMessage } from '../../../_components/FormMessage';

/** One click: the question switches to the method the team's record favours. */
export function SwitchMethodButton({ action, label }: { action: (p: ActionState, f: FormData) => Promise<ActionState>; label: string }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} data-testid="switch-method-form">
      <button type="submit" disabled={pending}>Switch to {label}</button>
      <FormMessage state={state} />
    </form>
  );
}
