import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { countUsers } from '@/db/queries/users';
import { passwordSignInEnabled } from '@/server/env';
import { AccountForm } from '../../_components/AuthForms';
import { signUpFirstAction } from '../actions';

export const metadata = { title: 'Create the first account' };

export default async function SignUpPage() {
  // Only an empty database takes a sign-up; the action checks again inside its transaction.
  if ((await countUsers(await getDb())) > 0) redirect('/sign-in');
  return (
    <div className="card narrow">
      <h1>Create the first account</h1>
      <p>You are the first person here, so your account becomes the team lead. You will invite the rest of the team.</p>
      {passwordSignInEnabled() ? (
        <AccountForm action={signUpFirstAction} submitLabel="Create account" />
      ) : (
        <p className="error" role="alert">
          Password sign-in is turned off (PASSWORD_SIGN_IN=off), and single sign-on only lets invited people in. Start Signpost once with password
          sign-in on to create the first team lead, then invite the team.
        </p>
      )}
    </div>
  );
}
