// CSV downloads (forecasts and scores of a question).
import Papa from 'papaparse';

/**
 * A text cell a spreadsheet could run as a formula: it begins with =, +, -, @, a tab or a
 * carriage return, whatever follows (papaparse's own pattern has no dotall flag, so a cell
 * with a newline in it slipped through). Such cells get a leading quote.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV download; text cells that could run as a formula are prefixed with a quote. */
export function csv(filename: string, fields: string[], rows: unknown[][]): Response {
  const text = Papa.unparse({ fields, data: rows }, { escapeFormulae: FORMULA_START, newline: '\r\n' });
  return new Response(text + '\r\n', {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
