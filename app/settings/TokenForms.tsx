'use client';

import { useServerForm } from '../_components/useServerForm';
import { FieldError, FormMessage } from '../_components/FormMessage';
import { createTokenAction, revokeTokenAction } from './actions';

export function CreateTokenForm() {
  const { state, pending, formProps } = useServerForm(createTokenAction);
  return (
    <form {...formProps} noValidate aria-label="New API token">
      <label htmlFor="token-name">Token name</label>
      <input id="token-name" name="name" maxLength={80} placeholder="e.g. analysis notebook" required />
      <FieldError state={state} name="name" />
      <FormMessage state={state} />
      {state.ok && state.data?.token && (
        <p>
          Your new token: <code className="token" data-testid="new-token">{String(state.data.token)}</code>
          <br />
          <span className="small muted">Send it as the header <code>Authorization: Bearer &lt;token&gt;</code>.</span>
        </p>
      )}
      <p>
        <button type="submit" disabled={pending}>Create token</button>
      </p>
    </form>
  );
}

export function RevokeTokenForm({ tokenId, name }: { tokenId: number; name: string }) {
  const { state, pending, formProps } = useServerForm(revokeTokenAction);
  return (
    <form {...formProps} className="row">
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </button>
      <FormMessage state={state} />
    </form>
  );
}
