// CSV downloads (forecasts and scores of a question).
import Papa from 'papaparse';

/**
 * A CSV download. Cells that a spreadsheet would run as a formula (=, +, -, @ first) are
 * prefixed with a quote by papaparse's escapeFormulae, so a rationale cannot run in Excel.
 */
export function csv(filename: string, fields: string[], rows: unknown[][]): Response {
  const text = Papa.unparse({ fields, data: rows }, { escapeFormulae: true, newline: '\r\n' });
  return new Response(text + '\r\n', {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
