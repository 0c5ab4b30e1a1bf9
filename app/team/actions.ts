'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createInvite, revokeInvite } from '@/db/queries/invites';
import { changeMemberRole, setMemberActive } from '@/db/queries/users';
import { action } from '@/server/action';
import { inviteCreateSchema, memberActiveSchema, roleChangeSchema } from '@/lib/validation/auth';
import { idField } from '@/lib/validation/common';

export const createInviteAction = action({ roles: ['lead'], what: 'invite members', input: inviteCreateSchema }, async (input, { actor, db }) => {
  const invite = await createInvite(db, actor, input);
  const h = await headers();
  const origin = process.env.AUTH_URL?.replace(/\/$/, '') ?? `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host')}`;
  revalidatePath('/team');
  return { ok: true, message: 'Invite created. Copy the link now: it is shown only once.', data: { link: `${origin}/invite/${invite.token}` } };
});

export const revokeInviteAction = action(
  { roles: ['lead'], what: 'revoke invites', input: z.object({ inviteId: idField('Unknown invite.') }) },
  async ({ inviteId }, { actor, db }) => {
    await revokeInvite(db, actor, inviteId);
    revalidatePath('/team');
    return { ok: true, message: 'Invite revoked.' };
  },
);

export const changeRoleAction = action({ roles: ['lead'], what: 'change roles', input: roleChangeSchema }, async (input, { actor, db }) => {
  await changeMemberRole(db, actor, input.userId, input.role);
  revalidatePath('/team');
  return { ok: true, message: 'Role changed.' };
});

export const setActiveAction = action({ roles: ['lead'], what: 'deactivate members', input: memberActiveSchema }, async (input, { actor, db }) => {
  await setMemberActive(db, actor, input.userId, input.active);
  revalidatePath('/team');
  return { ok: true, message: input.active ? 'Member reactivated.' : 'Member deactivated.' };
});
