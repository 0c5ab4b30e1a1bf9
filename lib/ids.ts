// Record ids as they arrive from URLs, forms and JSON: one strict reading everywhere, so
// /questions/0x3, /questions/3.0, -1 and 1e3 are unknown ids (404), never question 3.

const ID_TEXT = /^[1-9]\d{0,14}$/;

/**
 * A positive whole-number id, or null. Accepts a safe positive integer, or its plain decimal
 * text with no sign, leading zero, exponent, fraction or spaces.
 * @example parseId('12') // 12
 * @example parseId('0x3') // null
 */
export function parseId(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 ? raw : null;
  if (typeof raw !== 'string' || !ID_TEXT.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/** True for a value parseId would accept as it is (a safe positive integer). */
export const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
