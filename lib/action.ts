// The one wrapper every server action uses: run, map typed errors to form state, and let
// Next's redirect/notFound signals through.
import { unstable_rethrow } from 'next/navigation';
import { toActionState, type ActionState } from '@/lib/errors';

export async function runAction(fn: () => Promise<ActionState | void> | ActionState | void): Promise<ActionState> {
  try {
    return (await fn()) ?? { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    return toActionState(error);
  }
}

export function formString(form: FormData, key: string): string | undefined {
  const v = form.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function formObject(form: FormData, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, formString(form, k)]));
}
