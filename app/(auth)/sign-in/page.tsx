import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { countUsers } from '@/db/queries/users';
import { ssoLabel } from '@/server/auth';
import { passwordSignInEnabled } from '@/server/env';
import { getActor } from '@/server/session';
import { SignInForm, SsoSignInForm } from '../../_components/AuthForms';
import { signInAction, ssoSignInAction } from '../actions';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  if (await getActor()) redirect('/questions');
  const { from: rawFrom } = await searchParams;
  const from = typeof rawFrom === 'string' ? rawFrom : undefined;
  const empty = (await countUsers(await getDb())) === 0;
  const sso = ssoLabel();
  const passwords = passwordSignInEnabled();
  return (
    <div className="card narrow">
      <h1>Sign in to Signpost</h1>
      {empty && passwords && (
        <p className="info">
          This Signpost has no accounts yet. <Link href="/sign-up">Create the first account</Link>: it becomes the team lead.
        </p>
      )}
      {sso && <SsoSignInForm action={ssoSignInAction} label={sso} from={from} />}
      {sso && passwords && <p className="small muted">Or sign in with your Signpost password:</p>}
      {passwords && <SignInForm action={signInAction} from={from} />}
      <p className="small muted">
        New team members join through an invite from a team lead{sso ? `: an invite for your email lets you sign in with ${sso}` : ''}.
      </p>
    </div>
  );
}
