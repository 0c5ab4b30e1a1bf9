// Auth.js configuration: Credentials provider (argon2id hashes in db/), JWT sessions. The JWT
// carries the user id and a session id; every request checks that session in the database
// (db/queries/sessions.ts) and reads the role and active flag, so signing out, a demotion or a
// deactivation takes effect at once, on every instance.
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { startSession } from '@/db/queries/sessions';
import { verifyCredentials } from '@/db/queries/users';
import { signInSchema } from '@/lib/validation/auth';
import { log } from './log';
import { clientAddress, recordSignInFailure, recordSignInSuccess, signInRetryAfter } from './rate-limit';

class InvalidCredentials extends CredentialsSignin {
  code = 'invalid_credentials';
}
class RateLimited extends CredentialsSignin {
  constructor(seconds: number) {
    super();
    this.code = `rate_limited:${seconds}`;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: process.env.AUTH_SECRET,
  // Signpost is self-hosted behind the operator's own proxy; AUTH_URL pins the origin if set.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/auth-error' },
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if ((error as { type?: string }).type === 'CredentialsSignin') return;
      log().error({ err: error }, 'Auth.js error');
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const address = clientAddress(request.headers);
        const wait = await signInRetryAfter(email, address);
        if (wait > 0) throw new RateLimited(wait);
        const user = await verifyCredentials(await getDb(), email, password);
        if (!user) {
          await recordSignInFailure(email, address);
          throw new InvalidCredentials();
        }
        await recordSignInSuccess(email, address);
        const sessionId = await startSession(await getDb(), user.id, request.headers.get('user-agent') ?? '');
        return { id: String(user.id), name: user.name, email: user.email, sessionId };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = (user as { sessionId?: string }).sessionId;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return Object.assign(session, { sid: typeof token.sid === 'string' ? token.sid : null });
    },
  },
});
