import Link from 'next/link';
import { describeRetry } from '@/server/rate-limit';

export const metadata = { title: 'Sign-in problem' };

// Auth.js sends people here when a sign-in step fails (a misconfiguration, an expired or
// forged link, a refused provider), and so does single sign-on when it refuses someone
// (server/auth.ts): a page that says what to do, never a bare error.
const MESSAGES: Record<string, string> = {
  Configuration: 'Sign-in is not set up correctly on this server. Please tell whoever runs Signpost.',
  AccessDenied: 'This account may not sign in here. If you were invited, use the invite link; otherwise ask a team lead for an invite.',
  Verification: 'That sign-in link has expired or has already been used. Please sign in again.',
  OAuthCallbackError: 'Your identity provider did not sign you in (it may have been cancelled). Please try again.',
  SsoUninvited:
    'No Signpost account or open invite matches the email your identity provider gave, so you were not signed in and no account was made. Ask a team lead to invite that email address, then sign in again.',
  SsoUnverified:
    'Your identity provider has not verified your email address, so Signpost cannot tell which account is yours. Verify the address with your provider, then sign in again.',
  SsoNoEmail: 'Your identity provider did not share an email address, which Signpost needs to find your account. Ask whoever runs the provider to release the email claim.',
  SsoDeactivated: 'This account has been deactivated. Ask a team lead if you need access again.',
  SsoCheck:
    'This sign-in could not be checked: it may have been started in another browser or tab, taken too long, or been altered on the way. Please sign in again from the sign-in page.',
  SsoFailed: 'Single sign-on did not work: the identity provider could not be reached or its answer could not be used. Please try again; if it keeps failing, tell whoever runs Signpost.',
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; retry?: string }> }) {
  const { error, retry } = await searchParams;
  let message = (error && Object.hasOwn(MESSAGES, error) ? MESSAGES[error] : null) ?? 'Signing in did not work. Please try again.';
  if (error === 'SsoRateLimited') {
    const seconds = Number(retry);
    message = `Too many refused sign-ins. Try again in ${Number.isInteger(seconds) && seconds > 0 && seconds <= 86_400 ? describeRetry(seconds) : 'a few minutes'}.`;
  }
  return (
    <div className="card narrow">
      <h1>Sign-in problem</h1>
      <p className="error" role="alert">{message}</p>
      <Link href="/sign-in">Back to sign-in</Link>
    </div>
  );
}
