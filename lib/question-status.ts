// A question's status as users see it. 'closed' and 'upcoming' are derived from the clock,
// so no job has to flip a stored status when closes_at passes.
export type QuestionStatus = 'draft' | 'upcoming' | 'open' | 'closed' | 'resolved' | 'annulled';

export function effectiveStatus(
  q: { status: 'draft' | 'open' | 'closed' | 'resolved' | 'annulled'; opensAt: number; closesAt: number },
  now: number,
): QuestionStatus {
  if (q.status !== 'open') return q.status;
  if (now < q.opensAt) return 'upcoming';
  if (now >= q.closesAt) return 'closed';
  return 'open';
}

export const STATUS_LABEL: Record<QuestionStatus, string> = {
  draft: 'Draft',
  upcoming: 'Not yet open',
  open: 'Open',
  closed: 'Closed',
  resolved: 'Resolved',
  annulled: 'Annulled',
};

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** Why a question takes no forecasts or events right now, or null when it does. */
export function whyClosedToInput(status: QuestionStatus, q: { opensAt: number; closesAt: number }): string | null {
  switch (status) {
    case 'open':
      return null;
    case 'draft':
      return 'This question is a draft: it takes forecasts once a team lead publishes it.';
    case 'upcoming':
      return `This question opens at ${fmt(q.opensAt)}: it takes forecasts from then.`;
    case 'closed':
      return `This question closed at ${fmt(q.closesAt)}: it takes no more forecasts.`;
    case 'resolved':
      return 'This question is resolved: it takes no more forecasts.';
    case 'annulled':
      return 'This question was annulled: it takes no more forecasts.';
  }
}

export { fmt as formatUtc };
