'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/errors';
import { FormMessage, initialState } from '../../_components/FormMessage';

export function PublishButton({ action }: { action: (p: ActionState, f: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, initialState);
  return (
    <form action={formAction}>
      <button type="submit" disabled={pending}>Publish question</button>
      <FormMessage state={state} />
    </form>
  );
}
