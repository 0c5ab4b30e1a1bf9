import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { auditLog, questions, users } from '@/db/schema';
import { userNames } from '@/db/internal/rows';
import { assertRole, type Actor } from './access';

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
export async function listAuditLog(db: Queryable, actor: Actor, limit = 100): Promise<AuditEntry[]> {
  assertRole(actor, ['lead'], 'read the audit log');
  const rows = await db
    .select({ a: auditLog, actorName: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(Math.max(1, Math.min(limit, 500)));
  const titles = new Map((await db.select({ id: questions.id, title: questions.title }).from(questions)).map((q) => [q.id, q.title]));
  const names = await userNames(db, rows.flatMap(({ a }) => (a.entityType === 'user' && a.entityId !== null ? [a.entityId] : [])));
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
