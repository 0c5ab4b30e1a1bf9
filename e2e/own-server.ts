// For specs that change what other specs rely on (sessions, passwords, limits) or that send a
// lot of forged traffic: a production server of their own, on a throwaway SQLite database
// seeded by the spec, on a free loopback port. Plus what such specs need to talk to it as a
// browser would, without one: signing in through Auth.js and calling server actions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNext, type RunningServer } from '../bench/harness';
import { openDatabase, type Db } from '../db/index';

export interface OwnServer<T> {
  base: string;
  file: string;
  seeded: T;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Seeds a fresh database with `seed`, then starts `next start` on it. */
export async function startOwnServer<T>(name: string, seed: (db: Db) => Promise<T>, env: Record<string, string> = {}): Promise<OwnServer<T>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `signpost-${name}-`));
  const file = path.join(dir, 'own.db');
  const opened = await openDatabase({ engine: 'sqlite', file });
  const seeded = await seed(opened.db);
  await opened.close();
  const server = await startNext({ DATABASE_PATH: file, ...env });
  return {
    base: server.base,
    file,
    seeded,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A cookie jar of one client: what Set-Cookie headers gave it, sent back as Cookie. */
export class Jar {
  private cookies = new Map<string, string>();
  keep(r: Response) {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get size() {
    return this.cookies.size;
  }
}

/**
 * Signs in through Auth.js's own endpoints, as the sign-in form does. Returns the jar with the
 * session cookie, or the refusal code Auth.js sent back (e.g. "invalid_credentials",
 * "rate_limited:900").
 */
export async function signInOverHttp(
  base: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ jar: Jar; refused: string | null }> {
  const jar = new Jar();
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  jar.keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const r = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/questions` }).toString(),
  });
  jar.keep(r);
  const location = r.headers.get('location') ?? '';
  const code = /[?&]code=([^&]+)/.exec(location)?.[1];
  return { jar, refused: /error=/.test(location) ? decodeURIComponent(code ?? 'error') : null };
}

/** The server-action ids of this build, by exported name. */
export function actionIds(): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName: string }>;
  };
  const out = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) out.set(entry.exportedName, id);
  return out;
}

export interface ActionOutcome {
  status: number;
  /** The action's returned state, when it returned one. */
  state: { ok: boolean; code?: string; message?: string } | null;
  /** Where it redirected, when it did. */
  redirect: string | null;
}

/**
 * Calls a server action as React does from a page (the Next-Action header, the arguments
 * encoded as a JSON root plus FormData parts), as whoever `jar` is.
 */
export async function callAction(
  base: string,
  pagePath: string,
  actionId: string,
  bound: unknown[],
  fields: Record<string, string | string[]>,
  jar: Jar | null,
): Promise<ActionOutcome> {
  // As React encodes a reply: the FormData's entries ("_" + its part id + "_" + name) first,
  // then the root "0" that refers to them ("$K1"); the server decodes the body as it streams.
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(`_1_${k}`, one);
  body.append('0', JSON.stringify([...bound, { ok: false }, '$K1']));
  const r = await fetch(`${base}${pagePath}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'next-action': actionId, accept: 'text/x-component', origin: base, ...(jar ? { cookie: jar.header() } : {}) },
    body,
  });
  jar?.keep(r);
  const text = await r.text();
  const line = text.split('\n').find((l) => l.startsWith('1:'));
  let state: ActionOutcome['state'] = null;
  if (line) {
    try {
      const parsed = JSON.parse(line.slice(2)) as unknown;
      if (parsed && typeof parsed === 'object' && 'ok' in parsed) state = parsed as ActionOutcome['state'];
    } catch {
      /* not a state */
    }
  }
  const redirect = r.headers.get('x-action-redirect') ?? (r.status >= 300 && r.status < 400 ? r.headers.get('location') : null);
  return { status: r.status, state, redirect };
}
