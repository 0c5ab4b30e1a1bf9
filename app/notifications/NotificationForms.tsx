'use client';

import { useServerForm } from '../_components/useServerForm';
import { FormMessage } from '../_components/FormMessage';
import { markAllReadAction, markReadAction } from './actions';

export function MarkReadForm({ id, label }: { id: number; label: string }) {
  const { state, pending, formProps } = useServerForm(markReadAction);
  return (
    <form {...formProps} className="row">
      <input type="hidden" name="notificationId" value={id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Mark as read: ${label}`}>
        Mark read
      </button>
      <FormMessage state={{ ...state, message: state.ok ? undefined : state.message }} />
    </form>
  );
}

export function MarkAllReadForm() {
  const { state, pending, formProps } = useServerForm(markAllReadAction);
  return (
    <form {...formProps} className="row">
      <button type="submit" disabled={pending}>Mark all read</button>
      <FormMessage state={state} />
    </form>
  );
}
