// Admission: at most a few requests inside the app at once; the others wait their turn in order
// of arrival, and when too many are waiting, the newest is answered 503 at once.
//
// Why: Node runs every request on one thread. A page is rendered in many small steps, and Node
// interleaves the steps of every request in the process, so with 50 requests inside each one
// takes as long as all 50 together, the event loop goes round only every ~100 ms, and libuv
// accepts about one new connection per turn of the loop under that load: a burst of new
// connections (a team opening a page after an email) waited seconds just to be accepted (found
// with bench:http's BENCH_TRACE; reproduced with a plain node:http server). With a handful
// inside and the rest queued, each request is rendered in a few dozen milliseconds, the loop
// turns quickly, new connections are accepted at once, and the wait is first come, first served:
// the slowest answers are close to the median instead of several times it.
//
// Static files and the health check pass straight through: they are cheap, and a page that was
// let in must be able to load its scripts, and a load balancer must see a busy server as alive.
import http from 'node:http';
import { EdgeConfigError } from './env';

export interface AdmissionSettings {
  /** Requests inside the app at once. */
  concurrent: number;
  /** Requests that may wait; one more is refused with 503. */
  queued: number;
}

export const ADMISSION_DEFAULTS: AdmissionSettings = { concurrent: 4, queued: 2000 };

function wholeNumber(env: Record<string, string | undefined>, name: string, min: number, max: number, fallback: number, what: string): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new EdgeConfigError(`${name} must be a whole number from ${min} to ${max} (${what}), got "${raw}".`);
  }
  return Number(raw);
}

/** MAX_CONCURRENT_REQUESTS and MAX_QUEUED_REQUESTS, checked (a bad value stops the start). */
export function admissionSettings(env: Record<string, string | undefined> = process.env): AdmissionSettings {
  return {
    concurrent: wholeNumber(env, 'MAX_CONCURRENT_REQUESTS', 1, 1000, ADMISSION_DEFAULTS.concurrent, 'requests the server works on at once'),
    queued: wholeNumber(env, 'MAX_QUEUED_REQUESTS', 0, 100000, ADMISSION_DEFAULTS.queued, 'requests that may wait for their turn'),
  };
}

/** Paths that never wait: Next's static files and images, the icon, the health check. */
export function passesStraightThrough(url: string | undefined): boolean {
  const path = (url ?? '/').split('?', 1)[0]!;
  return path.startsWith('/_next/static/') || path.startsWith('/_next/image') || path === '/favicon.ico' || path === '/api/v1/health';
}

export const BUSY_MESSAGE = 'Signpost is busy: too many requests are waiting. Try again in a moment.';

interface Waiting {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  run: () => void;
}

/** First come, first served, `concurrent` at a time; one server process has one gate. */
export class AdmissionGate {
  private active = 0;
  private readonly waiting: Waiting[] = [];
  private head = 0;

  constructor(readonly settings: AdmissionSettings) {}

  /** How many requests are inside, and how many wait (for tests and logs). */
  get state(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length - this.head };
  }

  /**
   * Runs `run` now if there is room, later in arrival order if not, or answers 503 if the queue
   * is full. The request's place is given back when its answer is finished or its connection
   * closes, whichever comes first; a waiting request whose client has gone is dropped unrun.
   */
  admit(req: http.IncomingMessage, res: http.ServerResponse, run: () => void): void {
    if (this.state.waiting >= this.settings.queued && this.active >= this.settings.concurrent) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' });
      res.end(BUSY_MESSAGE);
      return;
    }
    this.waiting.push({ req, res, run });
    this.next();
  }

  private enter(res: http.ServerResponse, run: () => void): void {
    this.active++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.active--;
      this.next();
    };
    res.once('finish', leave);
    res.once('close', leave);
    try {
      run();
    } catch (error) {
      leave();
      throw error;
    }
  }

  private next(): void {
    while (this.active < this.settings.concurrent && this.head < this.waiting.length) {
      const w = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (w.res.destroyed || w.req.socket?.destroyed || w.res.writableEnded) continue; // the client left while waiting
      this.enter(w.res, w.run);
    }
  }
}

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Puts every HTTP server of this process behind one gate (Next's, in production). Installed at
 * start before the request log and the peer header (instrumentation-node.ts), so that their
 * hooks run first: a request's logged duration includes its wait.
 */
export function installAdmission(settings: AdmissionSettings = admissionSettings()): AdmissionGate {
  const proto = http.Server.prototype as http.Server & { __signpostAdmission?: AdmissionGate; emit: Emit };
  if (proto.__signpostAdmission) return proto.__signpostAdmission;
  const gate = new AdmissionGate(settings);
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return emit.call(this, event, ...args);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (passesStraightThrough(req.url)) return emit.call(this, event, ...args);
    gate.admit(req, res, () => emit.call(this, event, ...args));
    return true;
  } as Emit;
  proto.__signpostAdmission = gate;
  return gate;
}
