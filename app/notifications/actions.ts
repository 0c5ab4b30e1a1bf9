'use server';

import { revalidatePath } from 'next/cache';
import { markAllNotificationsRead, markNotificationRead } from '@/db/queries/notify';
import { notificationIdSchema } from '@/lib/validation/notify';
import { action } from '@/server/action';

export const markReadAction = action({ input: notificationIdSchema }, async ({ notificationId }, { actor, db }) => {
  await markNotificationRead(db, actor, notificationId);
  revalidatePath('/', 'layout');
  return { ok: true, message: 'Marked as read.' };
});

export const markAllReadAction = action({}, async (_input, { actor, db }) => {
  const n = await markAllNotificationsRead(db, actor);
  revalidatePath('/', 'layout');
  return { ok: true, message: n === 0 ? 'Nothing was unread.' : `Marked ${n} as read.` };
});
