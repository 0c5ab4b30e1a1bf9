import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { auditLog, questions, users } from '@/db/schema';
import { assertRole, type Actor } from './actor';
import { userNames } from './users';

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

export interface AuditEntry {
  id: number;
  at: number;
  actorName: string;
  action: string;
  entityType: string;
  entityId: number | null;
  entityLabel: string | null;
  detail: Record<string, unknown>;
}

/** The most recent lead actions, newest first; leads only. */
export function listAuditLog(db: Queryable, actor: Actor, limit = 100): AuditEntry[] {
  assertRole(actor, ['lead'], 'read the audit log');
  const rows = db
    .select({ a: auditLog, actorName: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(Math.max(1, Math.min(limit, 500)))
    .all();
  const titles = new Map(db.select({ id: questions.id, title: questions.title }).from(questions).all().map((q) => [q.id, q.title]));
  const names = userNames(db);
  return rows.map(({ a, actorName }) => ({
    id: a.id,
    at: a.createdAt,
    actorName,
    action: a.action,
    entityType: a.entityType,
    entityId: a.entityId,
    entityLabel:
      a.entityId === null ? null : a.entityType === 'question' ? titles.get(a.entityId) ?? null : a.entityType === 'user' ? names.get(a.entityId) ?? null : null,
    detail: safeJson(a.detail),
  }));
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
