import Link from 'next/link';
import { getDb } from '@/db';
import { getMyDiscrimination } from '@/db/queries/discrimination';
import { getTrackRecord } from '@/db/queries/scores';
import { DiscriminationTable } from '../_components/DiscriminationTable';
import { formatTime, pct } from '@/lib/format';
import { requireActor } from '@/server/session';
import { CalibrationChart } from './CalibrationChart';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Track record' };

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

export default async function TrackRecordPage() {
  const actor = await requireActor();
  const db = await getDb();
  const [record, discrimination] = await Promise.all([getTrackRecord(db, actor), getMyDiscrimination(db, actor)]);
  return (
    <>
      <h1>Your track record</h1>
      {record.questions.length === 0 && <p className="card">No resolved questions with your forecasts yet.</p>}
      {record.questions.length > 0 && (
        <section className="card">
          <h2>Calibration</h2>
          <p className="small muted">
            Every forecast × scenario on a resolved question is one binary event ({record.pairCount} in all), binned by the probability you gave.
            A calibrated forecaster&apos;s points sit on the diagonal; bars are Wilson 95% intervals.
          </p>
          <CalibrationChart bins={record.calibration} />
          <TableBox label="Calibration">
          <table className="small" data-testid="calibration-table">
            <thead>
              <tr><th>Bin</th><th className="num">Count</th><th className="num">Mean forecast</th><th className="num">Observed</th><th className="num">95% interval</th></tr>
            </thead>
            <tbody>
              {record.calibration.map((b) => (
                <tr key={b.lower}>
                  <td>{pct(b.lower, 0)}–{pct(b.upper, 0)}</td>
                  <td className="num">{b.count}</td>
                  <td className="num">{b.meanForecast === null ? '—' : pct(b.meanForecast)}</td>
                  <td className="num">{b.observedFrequency === null ? '—' : pct(b.observedFrequency)}</td>
                  <td className="num">{b.wilsonLow === null ? '—' : `${pct(b.wilsonLow)}–${pct(b.wilsonHigh!)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        </section>
      )}
      {discrimination.indicators.length > 0 && (
        <section className="card" aria-labelledby="my-discrimination-heading">
          <h2 id="my-discrimination-heading">Your signposts: did your likelihoods discriminate?</h2>
          <DiscriminationTable view={discrimination} testId="my-discrimination" showForecastersTogether={false} />
        </section>
      )}
      {record.questions.map((q) => (
        <section className="card" key={q.id}>
          <h2><Link href={`/questions/${q.id}`}>{q.title}</Link></h2>
          <p className="small">
            Resolved to <strong>{q.outcomeName}</strong> · time-averaged Brier {f3(q.timeAveragedBrier)} · relative Brier {f3(q.relativeBrier)} ·
            coverage {Math.round(q.coverage * 100)}%
          </p>
          <TableBox label={`Scores on ${q.title}`}>
          <table className="small">
            <thead>
              <tr>
                <th>Time</th>
                {q.scenarioNames.map((n) => <th key={n} className="num">{n}</th>)}
                <th className="num">Brier</th>
              </tr>
            </thead>
            <tbody>
              {q.forecasts.map((f) => (
                <tr key={f.id}>
                  <td>{formatTime(f.createdAt)}{f.eventName && <div className="muted">update: {f.eventName}</div>}</td>
                  {f.probabilities.map((p, k) => <td key={k} className="num">{pct(p)}</td>)}
                  <td className="num">{f.brier.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        </section>
      ))}
    </>
  );
}
