// The demo's content, as plain data (no imports), so the seed and the e2e suite share it.
// Times are whole days before the seed day; everything here is illustrative.
type Role = 'lead' | 'forecaster' | 'viewer';

export const DEMO_PASSWORD = 'signpost-demo';
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'lead@example.com', name: 'Lena Lead', role: 'lead' },
  { email: 'ana@example.com', name: 'Ana Ahmadi', role: 'forecaster' },
  { email: 'ben@example.com', name: 'Ben Brooks', role: 'forecaster' },
  { email: 'chen@example.com', name: 'Chen Wei', role: 'forecaster' },
  { email: 'dara@example.com', name: 'Dara Diallo', role: 'forecaster' },
  { email: 'viewer@example.com', name: 'Vic Viewer', role: 'viewer' },
];

export const FOUNDING = {
  title: 'How will the US-Iran standoff develop by 31 December 2026?',
  background:
    'Oman hosted a new round of indirect US-Iran talks in Muscat in early 2026. An opinion essay on those talks argues ' +
    'that they manage escalation rather than lead to a settlement: each side keeps a channel open to limit surprises, ' +
    'while proxies, sanctions and military signalling continue. The essay sets out three scenarios (managed ' +
    'de-escalation as the most likely, a limited military strike, and unintended escalation as the most dangerous) and ' +
    'four early-warning indicators. We add a fourth scenario so the set covers every outcome.',
  resolutionCriteria:
    'Resolves on 31 December 2026 to the scenario that best describes the year as a whole, judged by the team lead ' +
    'from major news reporting. A single acknowledged US or Israeli strike on Iranian territory or assets, answered ' +
    'mainly through proxies, is "Limited military strike"; sustained direct exchanges between the states' +
    ' armed forces that neither side announced in advance are "Unintended escalation".',
  scenarios: [
    {
      name: 'Managed de-escalation',
      description:
        'Talks continue without a deal; informal understandings cap escalation; proxies stay calibrated; shipping is harassed but not closed.',
    },
    {
      name: 'Limited military strike',
      description: 'A targeted US or Israeli operation (cyber, air or covert) hits Iran, and Iran answers indirectly through proxies.',
    },
    {
      name: 'Unintended escalation',
      description:
        'A misread signal, an autonomous proxy commander or an overreaching strike sets off a wider direct conflict nobody chose.',
    },
    {
      name: 'Comprehensive agreement or other outcome',
      description: 'A broad settlement (the essay judges the conditions absent) or anything the first three miss.',
    },
  ],
  indicators: [
    { name: 'Muscat channel suspended or downgraded', description: 'Either side suspends the Omani-mediated talks or sends lower-level envoys.' },
    { name: 'Unexplained shift in US or Israeli military readiness', description: 'A sudden change in alert levels, deployments or leave policy with no public reason.' },
    { name: 'Coordinated leaks about Iran’s nuclear timeline', description: 'Several intelligence leaks in a short time claiming Iran is closer to a weapon.' },
    { name: 'Proxy escalations on several fronts at once', description: 'Unattributed attacks by aligned groups in more than one theatre within days.' },
  ],
};

// Team default likelihoods P(indicator | scenario), percent, in scenario order.
export const TEAM_DEFAULTS: number[][] = [
  [20, 55, 60, 10],
  [10, 70, 50, 5],
  [15, 60, 40, 10],
  [25, 45, 70, 10],
];

export type Vec = [number, number, number, number];

export interface SeedForecast {
  user: string;
  day: number; // days before the seed day
  hour?: number;
  p: Vec; // percent
  rationale: string;
  /** An update on an event: its index in EVENTS and the likelihoods used (percent). */
  update?: { event: number; likelihoods: Vec };
}

// Logged events on the founding question (days before the seed day).
export const EVENTS = [
  { indicator: 0, day: 95, by: 'lead@example.com', url: 'https://example.com/illustrative/muscat-round-postponed', note: 'Illustrative: the next Muscat round is postponed and both delegations are announced at deputy level.' },
  { indicator: 3, day: 30, by: 'ana@example.com', url: 'https://example.com/illustrative/proxy-attacks', note: 'Illustrative: attacks attributed to aligned groups in the Red Sea and in Iraq within three days.' },
];

// Each update's probabilities are what the forecaster chose; the likelihoods are theirs. Ana
// follows her likelihoods closely, Ben under-reacts, Chen over-reacts, Dara has not yet updated
// on the second event (so the demo shows "new evidence since your last forecast").
export const FOUNDING_FORECASTS: SeedForecast[] = [
  { user: 'lead@example.com', day: 140, p: [60, 20, 10, 10], rationale: 'Baseline from the essay: the channel is working and both sides want to avoid war.' },
  { user: 'ana@example.com', day: 138, p: [55, 25, 12, 8], rationale: 'Talks are fragile; strikes have precedent.' },
  { user: 'ben@example.com', day: 137, p: [65, 18, 7, 10], rationale: 'Both governments have strong domestic reasons to keep talking.' },
  { user: 'chen@example.com', day: 135, p: [50, 25, 15, 10], rationale: 'Proxy autonomy makes accidents likelier than the essay allows.' },
  { user: 'dara@example.com', day: 133, p: [60, 22, 10, 8], rationale: 'Close to the essay, slightly more weight on a strike.' },
  { user: 'ben@example.com', day: 110, p: [63, 19, 8, 10], rationale: 'Small drift after the sanctions announcement.' },
  { user: 'ana@example.com', day: 94, p: [35.5, 36.5, 19.5, 8.5], rationale: 'Updated on the downgraded channel, following my likelihoods.', update: { event: 0, likelihoods: [20, 45, 50, 10] } },
  { user: 'ben@example.com', day: 93, p: [58, 22, 10, 10], rationale: 'Channel downgraded, but this has happened before without consequence.', update: { event: 0, likelihoods: [20, 50, 60, 10] } },
  { user: 'chen@example.com', day: 92, p: [15, 40, 40, 5], rationale: 'A downgraded channel removes the main brake.', update: { event: 0, likelihoods: [25, 50, 55, 15] } },
  { user: 'dara@example.com', day: 90, p: [40, 35, 17, 8], rationale: 'Moving towards a strike after the downgrade.', update: { event: 0, likelihoods: [20, 55, 60, 10] } },
  { user: 'lead@example.com', day: 88, p: [45, 30, 15, 10], rationale: 'Channel downgrade is a real signal.' },
  { user: 'ana@example.com', day: 29, p: [22, 38, 33, 7], rationale: 'Several fronts at once fits escalation best.', update: { event: 1, likelihoods: [25, 45, 70, 10] } },
  { user: 'chen@example.com', day: 28, p: [16, 38, 42, 4], rationale: 'Less movement than my likelihoods imply: some of this is noise.', update: { event: 1, likelihoods: [20, 45, 75, 10] } },
  { user: 'ben@example.com', day: 20, p: [52, 25, 13, 10], rationale: 'Checked in: little change.' },
];

// The resolved practice question: three scenarios, resolved to the second.
export const PRACTICE = {
  title: 'Practice: will the spring Muscat round be held as scheduled?',
  background: 'A short practice question for the team to learn the tool: the scheduling of one round of talks.',
  resolutionCriteria: 'Resolves to the scenario that describes when the round actually took place.',
  scenarios: [
    { name: 'Held on schedule', description: 'The round takes place on the announced dates.' },
    { name: 'Postponed', description: 'The round takes place, but later than announced.' },
    { name: 'Cancelled', description: 'The round does not take place before the question closes.' },
  ],
  opensDaysAgo: 220,
  closesDaysAgo: 180,
  resolvedDaysAgo: 178,
  resolvedIndex: 1,
};

export const PRACTICE_FORECASTS: { user: string; day: number; p: [number, number, number]; rationale: string }[] = [
  { user: 'lead@example.com', day: 219, p: [60, 30, 10], rationale: 'Dates were announced by both sides.' },
  { user: 'ana@example.com', day: 218, p: [50, 40, 10], rationale: 'Rounds often slip by a week.' },
  { user: 'ben@example.com', day: 216, p: [70, 20, 10], rationale: 'Oman is a reliable host.' },
  { user: 'chen@example.com', day: 215, p: [40, 40, 20], rationale: 'Tension is high; cancellation is possible.' },
  { user: 'ana@example.com', day: 200, p: [30, 60, 10], rationale: 'Reports of logistics delays.' },
  { user: 'dara@example.com', day: 199, p: [45, 45, 10], rationale: 'Even between on-time and late.' },
  { user: 'ben@example.com', day: 195, p: [55, 35, 10], rationale: 'Some signs of delay.' },
  { user: 'chen@example.com', day: 190, p: [20, 60, 20], rationale: 'Delay now likely.' },
  { user: 'lead@example.com', day: 188, p: [25, 65, 10], rationale: 'Delegations have not travelled.' },
];

