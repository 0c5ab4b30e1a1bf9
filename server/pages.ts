// Helpers for server-rendered pages: a typed not-found from db/ becomes the 404 page, and
// route ids are read strictly (so /questions/0x3 is a 404, not question 3).
import { notFound } from 'next/navigation';
import { AppError } from '@/lib/errors';
import { parseId } from '@/lib/ids';

/** Awaits a data-layer read for a page; a typed not-found or forbidden becomes the 404 page. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) notFound();
    throw e;
  }
}

/** A route id, or the 404 page. */
export function pageId(raw: string | string[] | undefined): number {
  const id = parseId(raw);
  if (id === null) notFound();
  return id;
}
