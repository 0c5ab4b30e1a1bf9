import Link from 'next/link';
import { getDb } from '@/db';
import { getOpenInvite } from '@/db/queries/invites';
import { ssoLabel } from '@/server/auth';
import { passwordSignInEnabled } from '@/server/env';
import { AccountForm, SsoSignInForm } from '../../../_components/AuthForms';
import { acceptInviteAction, ssoSignInAction } from '../../actions';

export const metadata = { title: 'Join the team' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await getOpenInvite(await getDb(), token);
  const sso = ssoLabel();
  const passwords = passwordSignInEnabled();
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
      {sso && invite.email && (
        <>
          <p>
            Sign in with {sso} as <strong>{invite.email}</strong> to join{passwords ? ', or choose a password below' : ''}.
          </p>
          <SsoSignInForm action={ssoSignInAction} label={sso} />
        </>
      )}
      {passwords ? (
        <AccountForm action={acceptInviteAction.bind(null, token)} email={invite.email} submitLabel="Join" />
      ) : (
        !invite.email && (
          <p className="error" role="alert">
            This invite is not for a particular email, and here people sign in only with {sso}, which needs one. Ask a team lead for an invite to your email address.
          </p>
        )
      )}
    </div>
  );
}
