import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { listAuditLog } from '@/db/queries/audit';
import { listInvites } from '@/db/queries/invites';
import { listTeamMembers } from '@/db/queries/users';
import { getTeamWebhook, listDeliveryProblems } from '@/db/queries/notify';
import { formatDay, formatTime } from '@/lib/format';
import { requireActor } from '@/server/session';
import { ActiveForm, ClearWebhookForm, InviteForm, RevokeInviteForm, RoleForm, WebhookForm } from './TeamForms';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Team' };

export default async function TeamPage() {
  const actor = await requireActor();
  if (actor.role !== 'lead') notFound();
  const db = await getDb();
  const [members, invites, audit, webhook, problems] = await Promise.all([
    listTeamMembers(db, actor),
    listInvites(db, actor),
    listAuditLog(db, actor, 100),
    getTeamWebhook(db, actor),
    listDeliveryProblems(db, actor),
  ]);
  return (
    <>
      <h1>Team</h1>
      <section className="card">
        <h2>Members</h2>
        <TableBox label="Members">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}{m.id === actor.id && <span className="muted"> (you)</span>}</td>
                <td>{m.email}</td>
                <td><RoleForm userId={m.id} role={m.role} name={m.name} /></td>
                <td>{m.active ? 'Active' : <span className="badge warn">Deactivated</span>}</td>
                <td>{m.id !== actor.id && <ActiveForm userId={m.id} active={m.active} name={m.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      </section>
      <section className="card">
        <h2>Invite a member</h2>
        <p className="muted small">An invite link works once, until it expires, and carries the role you choose.</p>
        <InviteForm />
        {invites.length > 0 && (
          <>
            <h3>Invites</h3>
            <TableBox label="Invites">
            <table data-testid="invites">
              <thead>
                <tr><th>Created</th><th>Email</th><th>Role</th><th>Expires</th><th>State</th><th /></tr>
              </thead>
              <tbody>
                {invites.map((i) => (
                  <tr key={i.id}>
                    <td>{formatDay(i.createdAt)}</td>
                    <td>{i.email ?? <span className="muted">anyone with the link</span>}</td>
                    <td>{i.role}</td>
                    <td>{formatDay(i.expiresAt)}</td>
                    <td>{i.state}</td>
                    <td>{i.state === 'open' && <RevokeInviteForm inviteId={i.id} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableBox>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="webhook-heading">
        <h2 id="webhook-heading">Team webhook</h2>
        <p className="muted small">New indicator events and resolutions are posted to a chat channel&apos;s incoming webhook (Slack-compatible JSON). Posts name the question and what happened, never a forecast or the team&apos;s aggregate.</p>
        {webhook ? (
          <p data-testid="webhook-current">
            Posting to <code>{webhook.masked}</code> <span className="small muted">(set by {webhook.setBy}, {formatTime(webhook.setAt)})</span>
          </p>
        ) : (
          <p className="muted" data-testid="webhook-current">No webhook is set.</p>
        )}
        {webhook && <ClearWebhookForm />}
        <WebhookForm isSet={Boolean(webhook)} />
      </section>
      <section className="card" aria-labelledby="delivery-heading">
        <h2 id="delivery-heading">Notification delivery problems</h2>
        {problems.length === 0 ? (
          <p className="muted small" data-testid="delivery-problems">No email or webhook delivery has failed.</p>
        ) : (
          <TableBox label="Notification delivery problems">
            <table className="small" data-testid="delivery-problems">
              <thead>
                <tr><th>To</th><th>About</th><th>Tries</th><th>State</th><th>Last error</th></tr>
              </thead>
              <tbody>
                {problems.map((p) => (
                  <tr key={p.id}>
                    <td>{p.channel === 'email' ? `Email to ${p.recipient}` : 'Team webhook'}</td>
                    <td>{p.subject}</td>
                    <td>{p.attempts}</td>
                    <td>{p.status === 'failed' ? <span className="badge warn">Gave up</span> : `Retrying at ${formatTime(p.nextAttemptAt)}`}</td>
                    <td><code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{p.lastError}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        )}
      </section>
      <section className="card">
        <h2>Audit log</h2>
        <p className="muted small">The last 100 lead actions: publishing, edits, settings, resolutions and corrections, roles, invites and retractions.</p>
        <TableBox label="Audit log">
        <table className="small" data-testid="audit-log">
          <thead>
            <tr><th>Time</th><th>Who</th><th>Action</th><th>On</th><th>Detail</th></tr>
          </thead>
          <tbody>
            {audit.map((e) => (
              <tr key={e.id}>
                <td>{formatTime(e.at)}</td>
                <td>{e.actorName}</td>
                <td>{e.action}</td>
                <td>{e.entityLabel ?? `${e.entityType}${e.entityId !== null ? ` ${e.entityId}` : ''}`}</td>
                <td><code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{JSON.stringify(e.detail)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      </section>
    </>
  );
}
