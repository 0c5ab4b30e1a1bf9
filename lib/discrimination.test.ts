import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, throwsNamed } from './test-assert';
import { posterior } from './bayes';
import { indicatorDiscrimination, judgementScore, TEAM_DEFAULT_JUDGE, type LikelihoodJudgement } from './discrimination';

describe('judgementScore (docs/formulas.md#indicator-discrimination)', () => {
  it('hand-computed values', () => {
    // python3 -c "import math; print(math.log(1.6), math.log(0.4))" -> 0.47000362924573563 -0.916290731874155
    close(judgementScore([0.8, 0.2], 0, true), 0.47000362924573563);
    close(judgementScore([0.8, 0.2], 0, false), -0.916290731874155);
    // flat likelihoods: 0 whatever happened
    assert.equal(judgementScore([0.4, 0.4, 0.4], 1, true), 0);
    assert.equal(judgementScore([0.4, 0.4, 0.4], 2, false), 0);
    // a zero likelihood for what happened is clamped to 0.001:
    // python3 -c "import math; e=[0.9,0.3,0.001]; print(math.log(0.001/(sum(e)/3)))" -> -5.9922975334118735
    close(judgementScore([0.9, 0.3, 0], 2, true), -5.9922975334118735);
    // not observed, L = [1, 0.5]: e = [0 -> 0.001, 0.5]
    // python3 -c "import math; print(math.log(0.001/(0.501/2)))" -> -5.523458920524919
    close(judgementScore([1, 0.5], 0, false), -5.523458920524919);
  });
  it('property: equals ln(K q_o) for the posterior q of a flat prior, and is at most ln K', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((k) =>
          fc.tuple(
            fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: k, maxLength: k }),
            fc.integer({ min: 0, max: k - 1 }),
            fc.boolean(),
          ),
        ),
        ([l, o, observed]) => {
          const k = l.length;
          const e = observed ? l : l.map((x) => 1 - x);
          const q = posterior(Array.from({ length: k }, () => 1 / k), e);
          close(judgementScore(l, o, observed), Math.log(k * (q[o] as number)), 1e-12);
          assert.ok(judgementScore(l, o, observed) <= Math.log(k) + 1e-12);
        },
      ),
    );
  });
});

describe('indicatorDiscrimination', () => {
  // Indicator A: scenario 1 happened, A was observed. Indicator B: scenario 0 happened, B's
  // deadline passed unobserved. Values from
  // python3 -c "import math
  // def sc(L,o,obs):
  //   e=[min(.999,max(.001,(l if obs else 1-l))) for l in L]; return math.log(e[o]*len(L)/sum(e))
  // print(sc([.1,.6,.7,.2],1,1), sc([.2,.8,.4,.2],1,1), sc([.3,.9],0,0), sc([.05,.5],0,0))"
  // -> 0.4054651081081644 0.6931471805599455 0.5596157879354227 0.2702903297399117
  const judgements: LikelihoodJudgement[] = [
    { indicatorKey: 'A', judgeKey: TEAM_DEFAULT_JUDGE, likelihoods: [0.1, 0.6, 0.7, 0.2], outcome: 1, observed: true },
    { indicatorKey: 'A', judgeKey: 'u1', likelihoods: [0.2, 0.8, 0.4, 0.2], outcome: 1, observed: true },
    { indicatorKey: 'A', judgeKey: 'u2', likelihoods: [0.5, 0.5, 0.5, 0.5], outcome: 1, observed: true },
    { indicatorKey: 'B', judgeKey: TEAM_DEFAULT_JUDGE, likelihoods: [0.3, 0.9], outcome: 0, observed: false },
    { indicatorKey: 'B', judgeKey: 'u1', likelihoods: [0.05, 0.5], outcome: 0, observed: false },
  ];
  const r = indicatorDiscrimination(judgements);
  it('one row per indicator and judge, hand-computed', () => {
    assert.deepEqual(
      r.rows.map((x) => [x.indicatorKey, x.judgeKey, x.count]),
      [
        ['A', 'team-default', 1],
        ['A', 'u1', 1],
        ['A', 'u2', 1],
        ['B', 'team-default', 1],
        ['B', 'u1', 1],
      ],
    );
    close(r.rows[0]!.meanScore, 0.4054651081081644);
    close(r.rows[1]!.meanScore, 0.6931471805599455);
    assert.equal(r.rows[2]!.meanScore, 0);
    assert.equal(r.rows[2]!.favouredCount + r.rows[2]!.disfavouredCount, 0);
    close(r.rows[3]!.meanScore, 0.5596157879354227);
    assert.equal(r.rows[3]!.observedCount, 0);
    assert.equal(r.rows[0]!.standardError, null);
    close(r.rows[0]!.meanCeiling, Math.log(4));
  });
  it('per indicator (team default apart) and per judge', () => {
    const a = r.indicators.find((x) => x.indicatorKey === 'A')!;
    close(a.teamDefault!.meanScore, 0.4054651081081644);
    // forecasters on A: mean (0.6931 + 0) / 2, SE = |0.6931 - 0| / 2
    close(a.forecasters!.meanScore, 0.34657359027997275);
    close(a.forecasters!.standardError as number, 0.34657359027997275);
    assert.equal(a.forecasters!.count, 2);
    assert.equal(a.forecasters!.favouredCount, 1);
    const u1 = r.judges.find((x) => x.judgeKey === 'u1')!;
    // python3: mean 0.48171875514992857, SE 0.2114284254100169, ceiling (ln 4 + ln 2) / 2
    close(u1.meanScore, 0.48171875514992857);
    close(u1.standardError as number, 0.2114284254100169);
    close(u1.meanCeiling, (Math.log(4) + Math.log(2)) / 2);
    assert.equal(u1.observedCount, 1);
    assert.equal(r.indicators.find((x) => x.indicatorKey === 'B')!.forecasters!.count, 1);
    assert.deepEqual(indicatorDiscrimination([]), { rows: [], indicators: [], judges: [] });
  });
  it('guards', () => {
    const j = judgements[0]!;
    throwsNamed('indicatorDiscrimination', () => indicatorDiscrimination([{ ...j, likelihoods: [0.5, 1.2, 0.1, 0.1] }]), /judgements\[0\] \(indicator "A", judge "team-default"\): likelihoods\[1\] is 1.2, outside 0..1/);
    throwsNamed('indicatorDiscrimination', () => indicatorDiscrimination([{ ...j, outcome: 4 }]), /outcome 4 is outside 0..3/);
    throwsNamed('indicatorDiscrimination', () => indicatorDiscrimination([{ ...j, observed: 'yes' as never }]), /observed is not a boolean/);
    throwsNamed('indicatorDiscrimination', () => indicatorDiscrimination([{ ...j, judgeKey: 3 as never }]), /judgeKey is not a string/);
    throwsNamed('indicatorDiscrimination', () => indicatorDiscrimination([{ ...j, likelihoods: [0.5] }]), /at least 2/);
  });
});
