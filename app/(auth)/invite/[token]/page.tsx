import Link from 'next/link';
import { getDb } from '@/db';
import { getOpenInvite } from '@/db/queries/invites';
import { AccountForm } from '../../../_components/AuthForms';
import { acceptInviteAction } from '../../actions';

export const metadata = { title: 'Join the team' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await getOpenInvite(await getDb(), token);
  if (!invite) {
    return (
      <div className="card narrow">
        <h1>Invite not valid</h1>
        <p className="error" role="alert">
          This invite link is not valid: it may have expired, been used or been revoked. Ask a team lead for a new one.
        </p>
        <Link href="/sign-in">Sign in</Link>
      </div>
    );
  }
  return (
    <div className="card narrow">
      <h1>Join the team</h1>
      <p>
        You are invited as a <strong>{invite.role}</strong>. The link expires {new Date(invite.expiresAt).toISOString().slice(0, 10)}.
      </p>
      <AccountForm action={acceptInviteAction.bind(null, token)} email={invite.email} submitLabel="Join" />
    </div>
  );
}
