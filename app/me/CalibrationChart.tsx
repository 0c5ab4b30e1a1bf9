'use client';

import { CartesianGrid, ComposedChart, ErrorBar, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { CalibrationBin } from '@/lib/calibration';

/** Observed frequency against mean forecast per bin, with Wilson 95% intervals and the diagonal. */
export function CalibrationChart({ bins }: { bins: CalibrationBin[] }) {
  const points = bins
    .filter((b) => b.count > 0)
    .map((b) => ({
      forecast: Math.round(b.meanForecast! * 1000) / 10,
      observed: Math.round(b.observedFrequency! * 1000) / 10,
      interval: [
        Math.round((b.observedFrequency! - b.wilsonLow!) * 1000) / 10,
        Math.round((b.wilsonHigh! - b.observedFrequency!) * 1000) / 10,
      ] as [number, number],
      count: b.count,
    }));
  const diagonal = [
    { forecast: 0, ideal: 0 },
    { forecast: 100, ideal: 100 },
  ];
  return (
    <figure style={{ margin: 0 }} aria-label="Calibration chart">
      <div style={{ width: '100%', maxWidth: 520, height: 360 }}>
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e4e8ee" />
            <XAxis dataKey="forecast" type="number" domain={[0, 100]} unit="%" label={{ value: 'Forecast probability', position: 'insideBottom', offset: -10 }} />
            <YAxis type="number" domain={[0, 100]} unit="%" width={56} />
            <Tooltip formatter={(v, name) => [`${v}${name === 'count' ? '' : '%'}`, String(name)]} />
            <Line data={diagonal} dataKey="ideal" stroke="#9aa4b2" strokeDasharray="4 4" dot={false} isAnimationActive={false} name="Perfect calibration" />
            <Scatter data={points} dataKey="observed" fill="#1f5fbf" name="Observed frequency" isAnimationActive={false}>
              <ErrorBar dataKey="interval" direction="y" width={6} stroke="#1f5fbf" />
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
