import type { Queryable } from '@/db';
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
  | 'indicator.add'
  | 'indicator.edit'
  | 'indicator.retire'
  | 'indicator.team_default'
  | 'event.retract';

/** Appends one audit entry; call inside the transaction of the action it records. */
export function recordAudit(
  db: Queryable,
  entry: { actorId: number; action: AuditAction; entityType: string; entityId: number | null; detail?: unknown; at: number },
): void {
  db.insert(auditLog)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      detail: JSON.stringify(entry.detail ?? {}),
      createdAt: entry.at,
    })
    .run();
}
