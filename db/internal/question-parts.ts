// The parts of a question that every view of it reads besides the question row: scenarios,
// indicators, likelihood judgements and indicator events. Kept in this process per question
// and version, like the snapshot (db/internal/snapshot.ts): every write that changes them bumps
// questions.version in its transaction, so parts are used only at the version the request read
// with the question row, and every instance rebuilds after another instance has written.
// Unguarded: the queries in db/queries decide who may see the question first, and filter per
// viewer afterwards (a viewer's own judgements, the lead's per-forecaster view).
// See docs/architecture.md, "Kept and cached".
import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { indicatorEvents, indicators, questions } from '@/db/schema';
import { listIndicatorsOf, listScenariosOf, loadJudgements, type IndicatorSummary, type Judgement, type ScenarioRow } from './rows';

export interface EventRow {
  e: typeof indicatorEvents.$inferSelect;
  indicatorName: string;
}

export interface QuestionParts {
  questionId: number;
  version: number;
  scenarios: ScenarioRow[];
  indicators: IndicatorSummary[];
  /** Every judgement on the question's indicators, oldest first, aligned to the scenarios. */
  judgements: Judgement[];
  /** Every event, newest first (retracted ones included). */
  events: EventRow[];
}

/** Questions whose parts are kept; the least recently used go first. */
const MAX_CACHED_QUESTIONS = 256;

interface Cache {
  /** By database key and question id. */
  entries: Map<string, QuestionParts>;
  building: Map<string, Promise<QuestionParts>>;
}
const holder = globalThis as typeof globalThis & { __signpostQuestionParts?: Cache };
const cache = (): Cache => (holder.__signpostQuestionParts ??= { entries: new Map(), building: new Map() });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reads the parts and the version they belong to, in one snapshot of the database (uncached). */
export async function readQuestionParts(db: Queryable, questionId: number): Promise<QuestionParts> {
  return db.read(async (tx) => {
    // One after another: on PostgreSQL a transaction is one connection, which runs one query at a time.
    const [row] = await tx.select({ version: questions.version }).from(questions).where(eq(questions.id, questionId));
    if (!row) throw new Error(`readQuestionParts: question ${questionId} does not exist`);
    const scen = await listScenariosOf(tx, questionId);
    const inds = await listIndicatorsOf(tx, questionId);
    const judgements = await loadJudgements(tx, questionId, undefined, scen);
    const events = await tx
      .select({ e: indicatorEvents, indicatorName: indicators.name })
      .from(indicatorEvents)
      .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
      .where(eq(indicatorEvents.questionId, questionId))
      .orderBy(desc(indicatorEvents.occurredAt), desc(indicatorEvents.id));
    // Shared by every request that reads this version: frozen, so a caller that changed one
    // in place would fail loudly instead of changing what others see.
    return deepFreeze({ questionId, version: row.version, scenarios: scen, indicators: inds, judgements, events });
  });
}

/**
 * The parts of a question at `version`, the version the caller read with the question row in
 * the same transaction: from the cache when it holds that version, read otherwise. Inside a
 * write transaction nothing is stored (what it reads is not committed yet). Concurrent reads of
 * the same version share one read.
 */
export async function questionParts(db: Queryable, questionId: number, version: number): Promise<QuestionParts> {
  const c = cache();
  const entry = `${db.key}#${questionId}`;
  const hit = c.entries.get(entry);
  if (hit && hit.version === version) {
    c.entries.delete(entry); // most recently used last
    c.entries.set(entry, hit);
    return hit;
  }
  if (db.writing) return readQuestionParts(db, questionId);
  const key = `${entry}:${version}`;
  let pending = c.building.get(key);
  if (!pending) {
    pending = readQuestionParts(db, questionId).finally(() => c.building.delete(key));
    c.building.set(key, pending);
  }
  const built = await pending;
  const current = c.entries.get(entry);
  if (!current || current.version < built.version) {
    c.entries.delete(entry);
    c.entries.set(entry, built);
    while (c.entries.size > MAX_CACHED_QUESTIONS) c.entries.delete(c.entries.keys().next().value!);
  }
  return built;
}

/** Empties the cache (tests). */
export function clearQuestionParts(): void {
  cache().entries.clear();
}
