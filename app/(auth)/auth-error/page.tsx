import Link from 'next/link';

export const metadata = { title: 'Sign-in problem' };

// Auth.js sends people here when a sign-in step fails (a misconfiguration, an expired or
// forged link, a refused provider): a page that says what to do, never a bare error.
const MESSAGES: Record<string, string> = {
  Configuration: 'Sign-in is not set up correctly on this server. Please tell whoever runs Signpost.',
  AccessDenied: 'This account may not sign in here. If you were invited, use the invite link; otherwise ask a team lead for an invite.',
  Verification: 'That sign-in link has expired or has already been used. Please sign in again.',
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = (error && Object.hasOwn(MESSAGES, error) ? MESSAGES[error] : null) ?? 'Signing in did not work. Please try again.';
  return (
    <div className="card narrow">
      <h1>Sign-in problem</h1>
      <p className="error" role="alert">{message}</p>
      <Link href="/sign-in">Back to sign-in</Link>
    </div>
  );
}
