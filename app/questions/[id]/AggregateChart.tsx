'use client';

import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const COLOURS = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f', '#6d28d9', '#b45309', '#0369a1', '#9f1239'];

export interface ChartEvent {
  id: number;
  time: number;
  label: string;
  retracted: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Builds step-function rows: at every change time, the latest aggregate and own value. */
function rowsOf(
  series: { time: number; probabilities: number[] }[],
  mine: { time: number; probabilities: number[] }[],
  end: number,
  k: number,
) {
  const times = [...new Set([...series.map((s) => s.time), ...mine.map((m) => m.time), end])].sort((a, b) => a - b);
  let a = 0;
  let m = 0;
  let lastA: number[] | null = null;
  let lastM: number[] | null = null;
  return times.map((t) => {
    while (a < series.length && series[a]!.time <= t) lastA = series[a++]!.probabilities;
    while (m < mine.length && mine[m]!.time <= t) lastM = mine[m++]!.probabilities;
    const row: Record<string, number | null> = { time: t };
    for (let j = 0; j < k; j++) {
      row[`a${j}`] = lastA ? Math.round(lastA[j]! * 1000) / 10 : null;
      row[`m${j}`] = lastM ? Math.round(lastM[j]! * 1000) / 10 : null;
    }
    return row;
  });
}

type Series = { time: number; probabilities: number[] }[];

/**
 * The team aggregate over time. The series is loaded after the page, from the JSON API, thinned
 * to a few hundred points: a long history neither weighs on the page nor on its rendering.
 */
export function AggregateChart({
  questionId,
  scenarios,
  events,
  start,
  asOf,
}: {
  questionId: number;
  scenarios: string[];
  events: ChartEvent[];
  start: number;
  asOf: number;
}) {
  const [data, setData] = useState<{ series: Series; mine: Series } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    const parse = (s: { time: string; probabilities: number[] }[]) => s.map((p) => ({ time: Date.parse(p.time), probabilities: p.probabilities }));
    fetch(`/api/v1/questions/${questionId}/series?points=300`, { headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((body: { team: { time: string; probabilities: number[] }[] | null; mine: { time: string; probabilities: number[] }[] }) => {
        if (live) setData({ series: parse(body.team ?? []), mine: parse(body.mine) });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [questionId]);
  if (!data) {
    return (
      <figure style={{ margin: 0 }} aria-label="Team aggregate over time" aria-busy={!failed}>
        <div style={{ width: '100%', height: 320, display: 'grid', placeItems: 'center' }} className="muted small">
          {failed ? 'The chart could not be loaded. Reload the page to try again.' : 'Loading the chart…'}
        </div>
      </figure>
    );
  }
  return <LoadedChart scenarios={scenarios} series={data.series} mine={data.mine} events={events} start={start} end={Math.max(asOf, data.series.at(-1)?.time ?? asOf)} />;
}

function LoadedChart({
  scenarios,
  series,
  mine,
  events,
  start,
  end,
}: {
  scenarios: string[];
  series: Series;
  mine: Series;
  events: ChartEvent[];
  start: number;
  end: number;
}) {
  const [showMine, setShowMine] = useState(false);
  const [active, setActive] = useState<number | null>(null);
  const rows = useMemo(() => rowsOf(series, mine, end, scenarios.length), [series, mine, end, scenarios.length]);
  const activeEvent = events.find((e) => e.id === active) ?? null;
  return (
    <figure style={{ margin: 0 }} aria-label="Team aggregate over time">
      <div style={{ width: '100%', height: 320 }}>
        <ResponsiveContainer>
          <LineChart data={rows} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e4e8ee" />
            <XAxis dataKey="time" type="number" domain={[Math.min(start, rows[0]?.time ?? start), end]} scale="time" tickFormatter={day} minTickGap={40} />
            <YAxis domain={[0, 100]} unit="%" width={56} />
            <Tooltip
              labelFormatter={(t) => {
                const near = events.filter((e) => Math.abs(e.time - Number(t)) < 86_400_000 * 2);
                return `${day(Number(t))}${near.length ? ` · event: ${near.map((e) => e.label).join('; ')}` : ''}`;
              }}
              formatter={(v, name) => [`${v}%`, String(name)]}
            />
            <Legend />
            {scenarios.map((name, j) => (
              <Line key={`a${j}`} type="stepAfter" dataKey={`a${j}`} name={name} stroke={COLOURS[j % COLOURS.length]} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
            ))}
            {showMine &&
              scenarios.map((name, j) => (
                <Line key={`m${j}`} type="stepAfter" dataKey={`m${j}`} name={`${name} (you)`} stroke={COLOURS[j % COLOURS.length]} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
              ))}
            {events.map((e, i) => (
              <ReferenceLine
                key={e.id}
                x={e.time}
                stroke={e.id === active ? '#111' : e.retracted ? '#bbb' : '#8a5a00'}
                strokeWidth={e.id === active ? 2 : 1}
                strokeDasharray={e.retracted ? '2 4' : '4 3'}
                ifOverflow="extendDomain"
                label={{ value: `E${i + 1}`, position: 'top', fontSize: 11 }}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="small">
        <label style={{ display: 'inline', fontWeight: 400 }}>
          <input type="checkbox" checked={showMine} onChange={(e) => setShowMine(e.target.checked)} disabled={mine.length === 0} /> Show my forecasts
          (dashed)
        </label>
        {events.length > 0 && (
          <ul className="row" style={{ listStyle: 'none', padding: 0, margin: '0.4rem 0' }} aria-label="Indicator events on the chart">
            {events.map((e, i) => (
              <li
                key={e.id}
                tabIndex={0}
                className="badge"
                onMouseEnter={() => setActive(e.id)}
                onMouseLeave={() => setActive(null)}
                onFocus={() => setActive(e.id)}
                onBlur={() => setActive(null)}
              >
                E{i + 1}: {e.label}
              </li>
            ))}
          </ul>
        )}
        {activeEvent && (
          <span role="status" data-testid="chart-event">
            {day(activeEvent.time)}: {activeEvent.label}
            {activeEvent.retracted && ' (retracted)'}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
