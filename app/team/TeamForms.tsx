'use client';

import { useServerForm } from '../_components/useServerForm';
import type { ActionState } from '@/lib/errors';
import { FieldError, FormMessage } from '../_components/FormMessage';
import { changeRoleAction, clearWebhookAction, createInviteAction, revokeInviteAction, setActiveAction, setWebhookAction } from './actions';

export function InviteForm() {
  const { state, pending, formProps } = useServerForm(createInviteAction);
  return (
    <form {...formProps} noValidate>
      <div className="grid2">
        <div>
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue="forecaster">
            <option value="forecaster">Forecaster</option>
            <option value="lead">Team lead</option>
            <option value="viewer">Viewer</option>
          </select>
          <FieldError state={state} name="role" />
        </div>
        <div>
          <label htmlFor="invite-days">Expires after (days)</label>
          <input id="invite-days" name="expiresInDays" type="number" min={1} max={30} defaultValue={7} />
          <FieldError state={state} name="expiresInDays" />
        </div>
      </div>
      <label htmlFor="invite-email">Email (optional: restricts the link to this address)</label>
      <input id="invite-email" name="email" type="email" />
      <FieldError state={state} name="email" />
      <FormMessage state={state} />
      {state.ok && state.data?.link && (
        <p>
          Invite link: <code className="token" data-testid="invite-link">{String(state.data.link)}</code>
        </p>
      )}
      <p>
        <button type="submit" disabled={pending}>Create invite link</button>
      </p>
    </form>
  );
}

function SmallForm({ action, children }: { action: (p: ActionState, f: FormData) => Promise<ActionState>; children: React.ReactNode }) {
  const { state, pending, formProps } = useServerForm(action);
  return (
    <form {...formProps} className="row">
      <fieldset disabled={pending} style={{ border: 0, padding: 0, margin: 0 }} className="row">
        {children}
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}

export function RoleForm({ userId, role, name }: { userId: number; role: string; name: string }) {
  return (
    <SmallForm action={changeRoleAction}>
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={`Role of ${name}`} style={{ width: 'auto' }}>
        <option value="lead">Team lead</option>
        <option value="forecaster">Forecaster</option>
        <option value="viewer">Viewer</option>
      </select>
      <button type="submit" className="secondary">Change role</button>
    </SmallForm>
  );
}

export function ActiveForm({ userId, active, name }: { userId: number; active: boolean; name: string }) {
  return (
    <SmallForm action={setActiveAction}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={active ? 'false' : 'true'} />
      <button type="submit" className={active ? 'danger' : 'secondary'} aria-label={`${active ? 'Deactivate' : 'Reactivate'} ${name}`}>
        {active ? 'Deactivate' : 'Reactivate'}
      </button>
    </SmallForm>
  );
}

export function RevokeInviteForm({ inviteId }: { inviteId: number }) {
  return (
    <SmallForm action={revokeInviteAction}>
      <input type="hidden" name="inviteId" value={inviteId} />
      <button type="submit" className="secondary">Revoke</button>
    </SmallForm>
  );
}

export function WebhookForm({ isSet }: { isSet: boolean }) {
  const { state, pending, formProps } = useServerForm(setWebhookAction);
  return (
    <form {...formProps} noValidate aria-label="Team webhook">
      <label htmlFor="webhook-url">{isSet ? 'Replace the webhook URL' : 'Incoming-webhook URL (Slack-compatible)'}</label>
      <input id="webhook-url" name="url" type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.example.com/services/..." aria-describedby="webhook-help" />
      <p id="webhook-help" className="small muted">Must start with https:// and point to a public address. The URL is a secret: after saving, only its end is shown.</p>
      <FieldError state={state} name="url" />
      <FormMessage state={state} />
      <p>
        <button type="submit" disabled={pending}>Save webhook</button>
      </p>
    </form>
  );
}

export function ClearWebhookForm() {
  return (
    <SmallForm action={clearWebhookAction}>
      <button type="submit" className="secondary">Remove the webhook</button>
    </SmallForm>
  );
}
