'use client';

import { useServerForm } from '../../_components/useServerForm';
import type { ActionState } from '@/lib/errors';
import { FormMessage } from '../../_components/FormMessage';

/** One click: the standing forecast is recorded again, now, as a reaffirmation. */
export function ReaffirmButton({ action }: { action: (p: ActionState, f: FormData) => Promise<ActionState> }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} data-testid="reaffirm-form">
      <p className="small muted" id="reaffirm-help">
        Nothing changed your mind? Record your standing forecast again as of now: it keeps your forecast fresh for the
        team aggregate and your scores.
      </p>
      <button type="submit" className="secondary" disabled={pending} aria-describedby="reaffirm-help">
        Still my forecast
      </button>
      <FormMessage state={state} />
    </form>
  );
}
