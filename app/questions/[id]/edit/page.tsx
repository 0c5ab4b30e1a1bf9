import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { getQuestionForUser, questionScenariosFixed } from '@/db/queries/questions';
import { orNotFound, pageId } from '@/server/pages';
import { requireActor } from '@/server/session';
import { updateQuestionAction } from '../../actions';
import { QuestionForm } from '../../QuestionForm';

export const metadata = { title: 'Edit question' };

const local = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16));

export default async function EditQuestionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (actor.role !== 'lead') notFound();
  const { id } = await params;
  const db = await getDb();
  const q = await orNotFound(getQuestionForUser(db, actor, pageId(id)));
  if (q.status === 'resolved' || q.status === 'annulled') {
    return <p className="notice">This question is settled: it can no longer be edited.</p>;
  }
  return (
    <div className="card">
      <h1>Edit question</h1>
      <QuestionForm
        action={updateQuestionAction.bind(null, q.id)}
        submitLabel="Save changes"
        scenariosFixed={await questionScenariosFixed(db, actor, q)}
        initial={{
          title: q.title,
          background: q.background,
          resolutionCriteria: q.resolutionCriteria,
          opensAt: local(q.opensAt),
          closesAt: local(q.closesAt),
          staleAfterDays: q.staleAfterDays,
          antiHerding: q.antiHerding,
          scenarios: q.scenarios.map((s) => ({ id: s.id, name: s.name, description: s.description })),
          indicators: q.indicators
            .filter((i) => i.retiredAt === null)
            .map((i) => ({ id: i.id, name: i.name, description: i.description, deadline: local(i.deadline) })),
        }}
      />
    </div>
  );
}
