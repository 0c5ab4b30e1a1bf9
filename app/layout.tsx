import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';
import { currentRequestId } from '@/server/current-request';
import { getDb } from '@/db';
import { countMyUnread } from '@/db/queries/notify';
import { log } from '@/server/log';
import { getActor } from '@/server/session';
import { signOutAction } from './(auth)/actions';

// The request id goes in a <meta> on every render (navigations too), for the error pages.
export async function generateMetadata(): Promise<Metadata> {
  const requestId = await currentRequestId();
  return {
    title: { default: 'Signpost', template: '%s · Signpost' },
    description: 'Collaborative Bayesian forecasting for small analytic teams',
    ...(requestId ? { other: { 'request-id': requestId } } : {}),
  };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  // The bell's count is a convenience: if it cannot be read, every page still renders (the
  // failure is logged), the bell shows no count, and the notifications page says what is wrong.
  const unread = actor
    ? await countMyUnread(await getDb(), actor).catch((err: unknown) => {
        log().error({ err }, 'unread notifications could not be counted');
        return 0;
      })
    : 0;
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav className="inner" aria-label="Main">
            <Link className="brand" href="/">Signpost</Link>
            {actor && (
              <>
                <Link href="/questions">Questions</Link>
                <Link href="/dashboard">Dashboard</Link>
                <Link href="/leaderboard">Leaderboard</Link>
                <Link href="/me">Track record</Link>
                {actor.role === 'lead' && <Link href="/team">Team</Link>}
                <Link href="/settings">Settings</Link>
                <span className="spacer" />
                <Link href="/notifications" className="bell" data-testid="bell" aria-label={unread === 0 ? 'Notifications: none unread' : `Notifications: ${unread} unread`}>
                  <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                    <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                    <path d="M13.73 21a2 2 0 0 1-3.46 0" />
                  </svg>
                  {unread > 0 && <span className="bell-count" data-testid="bell-count">{unread > 99 ? '99+' : unread}</span>}
                </Link>
                <span className="who">
                  {actor.name} ({actor.role})
                </span>
                <form action={signOutAction}>
                  <button type="submit">Sign out</button>
                </form>
              </>
            )}
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
