import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { countUsers } from '@/db/queries/users';
import { getActor } from '@/server/session';
import { SignInForm } from '../../_components/AuthForms';
import { signInAction } from '../actions';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  if (await getActor()) redirect('/questions');
  const { from } = await searchParams;
  const empty = (await countUsers(await getDb())) === 0;
  return (
    <div className="card narrow">
      <h1>Sign in to Signpost</h1>
      {empty && (
        <p className="info">
          This Signpost has no accounts yet. <Link href="/sign-up">Create the first account</Link>: it becomes the team lead.
        </p>
      )}
      <SignInForm action={signInAction} from={typeof from === 'string' ? from : undefined} />
      <p className="small muted">New team members join through an invite link from a team lead.</p>
    </div>
  );
}
