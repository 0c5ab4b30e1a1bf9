// Plain-language coherence feedback for an update, built on lib/bayes coherence().
import { coherence, type CoherenceResult } from './bayes';

export interface CoherenceFeedback {
  verdict: CoherenceResult['verdict'];
  /** e.g. "You moved Limited strike up 6 points; your likelihoods implied 14: under-reaction." */
  sentence: string;
  result: CoherenceResult;
}

const VERDICT_TEXT: Record<CoherenceResult['verdict'], string> = {
  coherent: 'in line with your likelihoods',
  'under-reaction': 'under-reaction',
  'over-reaction': 'over-reaction',
  opposite: 'you moved against your own evidence',
  'no-evidence': 'your likelihoods carried no information',
};

const points = (x: number) => Math.round(Math.abs(x) * 100);
const direction = (x: number) => (x >= 0 ? 'up' : 'down');

/**
 * Describes how a submitted forecast compares with the posterior its own prior and likelihoods
 * imply, naming the scenario the evidence moved most. Throws what coherence() throws.
 */
export function describeCoherence(
  scenarioNames: readonly string[],
  prior: readonly number[],
  likelihoods: readonly number[],
  submitted: readonly number[],
  observed = true,
): CoherenceFeedback {
  const effective = observed ? likelihoods : likelihoods.map((l) => 1 - l);
  const result = coherence(prior, effective, submitted);
  // Name the scenario that tells the story: where the evidence moved most when the update was
  // coherent, else where the submitted move and the implied move differ most. Ties (within
  // rounding) go to the first scenario.
  const score = (x: { actualShift: number; impliedShift: number }) =>
    result.verdict === 'coherent' || result.verdict === 'no-evidence' ? Math.abs(x.impliedShift) : Math.abs(x.actualShift - x.impliedShift);
  let k = 0;
  for (const sc of result.scenarios) if (score(sc) > score(result.scenarios[k]!) + 1e-9) k = sc.index;
  const s = result.scenarios[k]!;
  const name = scenarioNames[k] ?? `scenario ${k + 1}`;
  const moved = points(s.actualShift) === 0 ? `You left ${name} unchanged` : `You moved ${name} ${direction(s.actualShift)} ${points(s.actualShift)} points`;
  const implied =
    Math.sign(s.impliedShift) === Math.sign(s.actualShift) && points(s.actualShift) !== 0
      ? `your likelihoods implied ${points(s.impliedShift)}`
      : `your likelihoods implied ${direction(s.impliedShift)} ${points(s.impliedShift)}`;
  return { verdict: result.verdict, sentence: `${moved}; ${implied}: ${VERDICT_TEXT[result.verdict]}.`, result };
}
