'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { changeMemberRole, createInvite, revokeInvite, setMemberActive } from '@/db/queries/users';
import { formObject, runAction } from '@/lib/action';
import { invalid, type ActionState } from '@/lib/errors';
import { requireActionActor } from '@/lib/session';
import { inviteCreateSchema, memberActiveSchema, roleChangeSchema } from '@/lib/validation/auth';
import { parseWith } from '@/lib/validation/common';

export async function createInviteAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(inviteCreateSchema, formObject(form, ['role', 'email', 'expiresInDays']));
    const invite = createInvite(getDb(), actor, input);
    const h = await headers();
    const origin = process.env.AUTH_URL?.replace(/\/$/, '') ?? `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host')}`;
    revalidatePath('/team');
    return {
      ok: true,
      message: 'Invite created. Copy the link now: it is shown only once.',
      data: { link: `${origin}/invite/${invite.token}` },
    };
  });
}

export async function revokeInviteAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const id = Number(form.get('inviteId'));
    if (!Number.isInteger(id) || id <= 0) throw invalid('Unknown invite.');
    revokeInvite(getDb(), actor, id);
    revalidatePath('/team');
    return { ok: true, message: 'Invite revoked.' };
  });
}

export async function changeRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(roleChangeSchema, formObject(form, ['userId', 'role']));
    changeMemberRole(getDb(), actor, input.userId, input.role);
    revalidatePath('/team');
    return { ok: true, message: 'Role changed.' };
  });
}

export async function setActiveAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(memberActiveSchema, formObject(form, ['userId', 'active']));
    setMemberActive(getDb(), actor, input.userId, input.active);
    revalidatePath('/team');
    return { ok: true, message: input.active ? 'Member reactivated.' : 'Member deactivated.' };
  });
}
