// The one-click unsubscribe link of every email: works signed out (the token is signed with
// AUTH_SECRET and expires: server/notify/token.ts). Opening it turns the member's email off;
// the bell keeps working and email can be turned back on from Settings. A forged, damaged or
// expired link gets a page saying so, never an error.
import Link from 'next/link';
import { getDb } from '@/db';
import { unsubscribeMember } from '@/db/queries/notify';
import { verifyUnsubscribe } from '@/server/notify/token';

export const metadata = { title: 'Unsubscribe' };
export const dynamic = 'force-dynamic';

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const checked = verifyUnsubscribe(typeof token === 'string' ? token : null, Date.now());
  const done = checked.ok && (await unsubscribeMember(await getDb(), checked.userId));
  if (done) {
    return (
      <section className="card narrow" data-testid="unsubscribed">
        <h1>You are unsubscribed</h1>
        <p>Signpost will send you no more email. Your notifications still appear under the bell when you sign in.</p>
        <p className="small muted">
          Changed your mind? Choose at once, daily or weekly on <Link href="/settings#email-heading">Settings</Link>.
        </p>
      </section>
    );
  }
  const why = !checked.ok && checked.reason === 'expired' ? 'This unsubscribe link has expired.' : 'This unsubscribe link is not valid: it may have been copied incompletely or changed.';
  return (
    <section className="card narrow" data-testid="unsubscribe-refused">
      <h1>Link not valid</h1>
      <p role="alert">{why}</p>
      <p>
        Use the link in a more recent email, or <Link href="/settings#email-heading">sign in and turn email off on Settings</Link>.
      </p>
    </section>
  );
}
