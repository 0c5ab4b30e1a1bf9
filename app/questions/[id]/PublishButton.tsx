'use client';

import { useServerForm } from '../../_components/useServerForm';
import type { ActionState } from '@/lib/errors';
import { FormMessage } from '../../_components/FormMessage';

export function PublishButton({ action }: { action: (p: ActionState, f: FormData) => Promise<ActionState> }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps}>
      <button type="submit" disabled={pending}>Publish question</button>
      <FormMessage state={state} />
    </form>
  );
}
