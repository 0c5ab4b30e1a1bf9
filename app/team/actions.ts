'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createInvite, revokeInvite } from '@/db/queries/invites';
import { changeMemberRole, setMemberActive } from '@/db/queries/users';
import { action } from '@/server/action';
import { inviteCreateSchema, memberActiveSchema, roleChangeSchema } from '@/lib/validation/auth';
import { idField } from '@/lib/validation/common';
import { webhookSchema } from '@/lib/validation/notify';
import { clearTeamWebhook, setTeamWebhook } from '@/db/queries/notify';
import { checkWebhookUrl } from '@/server/notify/webhook-url';

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

/** A lead sets the team's incoming webhook (checked: https in production, no private address). */
export const setWebhookAction = action({ roles: ['lead'], what: 'manage the team webhook', input: webhookSchema }, async ({ url }, { actor, db }) => {
  const checked = await checkWebhookUrl(url);
  await setTeamWebhook(db, actor, checked);
  revalidatePath('/team');
  return { ok: true, message: 'Webhook saved. New indicator events and resolutions will be posted to it.' };
});

export const clearWebhookAction = action({ roles: ['lead'], what: 'manage the team webhook' }, async (_input, { actor, db }) => {
  await clearTeamWebhook(db, actor);
  revalidatePath('/team');
  return { ok: true, message: 'Webhook removed.' };
});
