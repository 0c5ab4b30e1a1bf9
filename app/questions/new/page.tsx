import { notFound } from 'next/navigation';
import { requireActor } from '@/server/session';
import { createQuestionAction } from '../actions';
import { QuestionForm } from '../QuestionForm';

export const metadata = { title: 'New question' };

const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);

export default async function NewQuestionPage() {
  const actor = await requireActor();
  if (actor.role !== 'lead') notFound();
  const now = Date.now();
  return (
    <div className="card">
      <h1>New question</h1>
      <p className="muted">It is saved as a draft, visible only to team leads, until you publish it.</p>
      <QuestionForm
        action={createQuestionAction}
        submitLabel="Save draft"
        scenariosFixed={false}
        initial={{
          title: '',
          background: '',
          resolutionCriteria: '',
          opensAt: local(now),
          closesAt: local(now + 90 * 86_400_000),
          staleAfterDays: 14,
          antiHerding: true,
          scenarios: [
            { id: null, name: '', description: '' },
            { id: null, name: '', description: '' },
          ],
          indicators: [],
        }}
      />
    </div>
  );
}
