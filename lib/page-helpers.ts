import { notFound } from 'next/navigation';
import { AppError } from '@/lib/errors';

/** Runs a data-layer read for a page; a typed not-found or forbidden becomes the 404 page. */
export function orNotFound<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) notFound();
    throw e;
  }
}

export const formatDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const formatTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
export const pct = (p: number, digits = 1) => `${(p * 100).toFixed(digits)}%`;
