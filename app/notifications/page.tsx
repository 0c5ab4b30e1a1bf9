import Link from 'next/link';
import { getDb } from '@/db';
import { listMyNotifications } from '@/db/queries/notify';
import { formatTime } from '@/lib/format';
import { requireActor } from '@/server/session';
import { MarkAllReadForm, MarkReadForm } from './NotificationForms';

export const metadata = { title: 'Notifications' };

const KIND_LABEL = {
  event: 'New evidence',
  stale: 'Stale forecast',
  closing: 'Closing soon',
  resolved: 'Resolved',
  corrected: 'Resolution corrected',
  role: 'Your role',
} as const;

export default async function NotificationsPage() {
  const actor = await requireActor();
  const items = await listMyNotifications(await getDb(), actor);
  const unread = items.filter((i) => !i.read).length;
  return (
    <>
      <h1>Notifications</h1>
      <p className="muted small">
        New evidence on questions you forecast, forecasts gone stale, questions closing soon, resolutions and changes to
        your role. Choose how you get them by email on <Link href="/settings#email-heading">Settings</Link>.
      </p>
      <section className="card" aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">{unread === 0 ? 'All read' : `${unread} unread`}</h2>
        {unread > 0 && <MarkAllReadForm />}
        {items.length === 0 ? (
          <p className="muted">No notifications yet.</p>
        ) : (
          <ul className="notification-list" data-testid="notification-list">
            {items.map((n) => (
              <li key={n.id} className={n.read ? 'read' : 'unread'} data-testid="notification">
                <div>
                  <span className="badge">{KIND_LABEL[n.kind]}</span> {!n.read && <strong className="small">New</strong>}
                  <p>
                    <Link href={n.link}>{n.text}</Link>
                  </p>
                  <p className="small muted">{formatTime(n.createdAt)}</p>
                </div>
                {!n.read && <MarkReadForm id={n.id} label={n.text} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
