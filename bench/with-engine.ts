// Runs a benchmark in a process whose tables are PostgreSQL's: db/schema picks its tables from
// DATABASE_URL when it loads, so the variable must be set before anything imports it. The
// benchmark then opens the server it starts itself, with an explicit URL.
// Usage: node --import tsx bench/with-engine.ts postgres bench/http.ts [args]
import path from 'node:path';

const [engine, script, ...rest] = process.argv.slice(2);
if (engine !== 'postgres' || !script) {
  console.error('usage: bench/with-engine.ts postgres <script> [args]');
  process.exit(2);
}
process.env.DATABASE_URL ||= 'postgres://placeholder.invalid/chosen-by-the-benchmark';
process.argv = [process.argv[0]!, path.resolve(script), ...rest];
void import(path.resolve(script));
