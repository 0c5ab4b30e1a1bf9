// Formatting shared by pages and exports. All times are shown in UTC.

/** 2026-05-01 */
export const formatDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** 2026-05-01 09:30 UTC */
export const formatTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
/** 0.125 -> "12.5%" */
export const pct = (p: number, digits = 1) => `${(p * 100).toFixed(digits)}%`;
/** ISO 8601 time for JSON answers. */
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : iso(ms));
