import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';
import { currentRequestId } from '@/server/current-request';
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
