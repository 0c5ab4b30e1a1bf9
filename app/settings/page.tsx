import { getDb } from '@/db';
import { listApiTokens } from '@/db/queries/tokens';
import { formatTime } from '@/lib/format';
import { requireActor } from '@/server/session';
import { CreateTokenForm, RevokeTokenForm } from './TokenForms';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const actor = await requireActor();
  const tokens = await listApiTokens(await getDb(), actor);
  return (
    <>
      <h1>Settings</h1>
      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="small muted">
          A personal token lets a script use the JSON API under <code>/api/v1</code> and the CSV exports as you, with
          your role{actor.role === 'viewer' ? ' (as a viewer: read only)' : ''}. The token is shown once; Signpost keeps
          only a fingerprint of it. Revoke a token you no longer use.
        </p>
        <CreateTokenForm />
        {tokens.length === 0 ? (
          <p className="muted">You have no API tokens.</p>
        ) : (
          <table data-testid="token-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Created</th>
                <th>Last used</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td><code>{t.prefix}…</code></td>
                  <td className="small">{formatTime(t.createdAt)}</td>
                  <td className="small">{t.lastUsedAt !== null ? formatTime(t.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>{t.revokedAt !== null ? <span className="badge warn">Revoked {formatTime(t.revokedAt)}</span> : <span className="badge open">Active</span>}</td>
                  <td>{t.revokedAt === null && <RevokeTokenForm tokenId={t.id} name={t.name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
