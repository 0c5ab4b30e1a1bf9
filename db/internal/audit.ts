// The audit log's writer: every lead action appends one entry inside its own transaction.
import type { Queryable } from '@/db/types';
import { auditLog } from '@/db/schema';

export type AuditAction =
  | 'question.create'
  | 'question.edit'
  | 'question.publish'
  | 'question.close'
  | 'question.settings'
  | 'question.resolve'
  | 'question.annul'
  | 'question.correct_resolution'
  | 'member.role'
  | 'member.active'
  | 'invite.create'
  | 'invite.revoke'
  | 'invite.redeem_sso'
  | 'indicator.add'
  | 'indicator.edit'
  | 'indicator.retire'
  | 'indicator.team_default'
  | 'event.retract'
  | 'team.webhook';

/** Appends one audit entry; call inside the transaction of the action it records. */
export async function recordAudit(
  tx: Queryable,
  entry: { actorId: number; action: AuditAction; entityType: string; entityId: number | null; detail?: unknown; at: number },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    detail: JSON.stringify(entry.detail ?? {}),
    createdAt: entry.at,
  });
}
