// Where to send someone after they sign in: only a path on this app's own origin.

const PLACEHOLDER_ORIGIN = 'https://signpost.invalid';

/**
 * The path (with its query and hash) that `from` names on this app, or `fallback` when it
 * names anything else. Decided by parsing `from` against an origin, as a browser would, so
 * backslashes, tabs, newlines, protocol-relative `//host` and absolute URLs all resolve to
 * their real destination and are refused when it is another origin.
 * @example safeRedirectPath('/questions/3?x=1') // '/questions/3?x=1'
 * @example safeRedirectPath('/\\evil.example/x') // '/questions'
 */
export function safeRedirectPath(from: unknown, fallback = '/questions'): string {
  if (typeof from !== 'string' || !from.startsWith('/') || from.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(from, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  // A path that still starts with two slashes (or a slash and a backslash) would be read as
  // another host by a browser resolving it again.
  return /^\/[/\\]/.test(path) ? fallback : path;
}
