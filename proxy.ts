// Convenience only: send visitors without a session cookie to the sign-in page. Every page,
// action and route handler checks the session and role itself, next to the data.
import { NextResponse, type NextRequest } from 'next/server';

const PUBLIC = [/^\/sign-in$/, /^\/sign-up$/, /^\/invite\//, /^\/api\//];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  // API-token clients (CSV exports) authenticate in the route itself.
  if (request.headers.get('authorization')?.startsWith('Bearer ')) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith('authjs.session-token'));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/sign-in';
  url.search = pathname === '/' ? '' : `?from=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
