import { getDb } from '@/db';
import { listMySessions } from '@/db/queries/sessions';
import { listApiTokens } from '@/db/queries/tokens';
import { getMyEmailChoice } from '@/db/queries/notify';
import { hasPassword } from '@/db/queries/users';
import { EmailChoiceForm } from './EmailForm';
import { formatTime } from '@/lib/format';
import { ssoLabel } from '@/server/auth';
import { passwordSignInEnabled } from '@/server/env';
import { currentSessionId, requireActor } from '@/server/session';
import { ChangePasswordForm, SignOutEverywhereForm } from './AccountForms';
import { CreateTokenForm, RevokeTokenForm } from './TokenForms';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const actor = await requireActor();
  const db = await getDb();
  const [tokens, sessions, emailChoice, ownPassword] = await Promise.all([listApiTokens(db, actor), listMySessions(db, actor, await currentSessionId()), getMyEmailChoice(db, actor), hasPassword(db, actor)]);
  const emailOn = Boolean(process.env.SMTP_URL?.trim());
  return (
    <>
      <h1>Settings</h1>
      <section className="card" aria-labelledby="email-heading">
        <h2 id="email-heading">Email notifications</h2>
        <p className="small muted">
          What reaches your <a href="/notifications">notifications</a> (new evidence on questions you forecast, stale forecasts,
          questions closing soon, resolutions, role changes) can also come by email. Every email has a one-click unsubscribe link.
          {!emailOn && ' This server sends no email at the moment (SMTP_URL is not set): your choice applies once it does.'}
        </p>
        <EmailChoiceForm current={emailChoice} />
      </section>
      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <TableBox label="Where you are signed in">
        <table data-testid="session-list">
          <thead>
            <tr><th>Signed in</th><th>Last seen</th><th>Browser</th></tr>
          </thead>
          <tbody>
            {sessions.map((s, i) => (
              <tr key={i}>
                <td className="small">{formatTime(s.createdAt)}{s.current && <strong> (this session)</strong>}</td>
                <td className="small">{formatTime(s.lastSeenAt)}</td>
                <td className="small">{s.userAgent || <span className="muted">unknown</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
        <p className="small muted">Signing out everywhere ends every session above, this one included. API tokens are not affected: revoke them below.</p>
        <SignOutEverywhereForm />
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        {!ownPassword ? (
          <p data-testid="no-password">Your account was made through single sign-on and has no password: you sign in with {ssoLabel() ?? 'your identity provider'}.</p>
        ) : passwordSignInEnabled() ? (
          <>
            <p className="small muted">Changing your password signs out every other session of your account.</p>
            <ChangePasswordForm />
          </>
        ) : (
          <p>Password sign-in is turned off here: you sign in with {ssoLabel()}, which manages your password.</p>
        )}
      </section>
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
          <TableBox label="API tokens">
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
          </TableBox>
        )}
      </section>
    </>
  );
}
