// The unsubscribe link of every email: works signed out (the token is signed with AUTH_SECRET
// and expires: server/notify/token.ts). Opening it changes nothing (a mail scanner that opens
// links must not unsubscribe anyone): the page says whose email and what stops, and its button
// posts to the RFC 8058 one-click route (app/unsubscribe/one-click/route.ts), which turns the
// member's email off and comes back here to confirm. The bell keeps working and email can be
// turned back on from Settings. A forged, damaged or expired link gets a page saying so.
import Link from 'next/link';
import { getDb } from '@/db';
import { readUnsubscribeTarget } from '@/db/queries/notify';
import { verifyUnsubscribe } from '@/server/notify/token';

export const metadata = { title: 'Unsubscribe' };
export const dynamic = 'force-dynamic';

const CHOICE: Record<string, string> = { immediate: 'each notification at once', daily: 'a daily digest', weekly: 'a weekly digest' };

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const checked = verifyUnsubscribe(typeof token === 'string' ? token : null, Date.now());
  const member = checked.ok ? await readUnsubscribeTarget(await getDb(), checked.userId) : null;
  if (member && member.choice === 'off') {
    return (
      <section className="card narrow" data-testid="unsubscribed">
        <h1>You are unsubscribed</h1>
        <p>
          Signpost will send no more email to {member.name} ({member.email}). Your notifications still appear under the bell when you sign in.
        </p>
        <p className="small muted">
          Changed your mind? Choose at once, daily or weekly on <Link href="/settings#email-heading">Settings</Link>.
        </p>
      </section>
    );
  }
  if (member) {
    return (
      <section className="card narrow" data-testid="unsubscribe-confirm">
        <h1>Unsubscribe from Signpost email?</h1>
        <p>
          This stops all Signpost email to {member.name} ({member.email}), who now gets {CHOICE[member.choice] ?? 'email'}. Notifications
          still appear under the bell when you sign in, and you can turn email back on from Settings.
        </p>
        <form method="post" action={`/unsubscribe/one-click?token=${encodeURIComponent(token as string)}`}>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <input type="hidden" name="via" value="page" />
          <button type="submit">Unsubscribe from all Signpost email</button>
        </form>
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
