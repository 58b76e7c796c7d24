// npm run bench: one table of the DESIGN §10 figures, measured in one run on this machine.
// Quote medians and ratios; shared 2-core machines are noisy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBrowser } from './browser';
import { benchDrafts } from './drafts';
import { benchIngest } from './ingest';
import { benchQbo } from './qbo';
import { benchScore } from './score';
import { benchXero } from './xero';
import { median } from './stats';

const N = Number(process.env.SETTLE_BENCH_INVOICES ?? 100_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'settle-bench-'));
  try {
    process.stderr.write(`ingest (${N} demo invoices with their customers, payments, credits and notes)…\n`);
    const ingest = benchIngest(dir, N);
    process.stderr.write('scoring…\n');
    const score = benchScore(N);
    process.stderr.write('drafting and approvals (a demo company of the same size)…\n');
    const drafts = await benchDrafts(join(dir, 'drafts'), N);
    process.stderr.write('browser mode (seeding the demo company, then Chromium)…\n');
    const web = await benchBrowser(join(dir, 'web'), N);
    process.stderr.write('QuickBooks sync against the emulator (5k customers, 50k invoices)…\n');
    const qbo = await benchQbo(dir);
    process.stderr.write('Xero sync against the emulator (5k contacts, 50k invoices; then under the real 60/min limit)…\n');
    const xero = await benchXero(dir);
    const lim = xero.limited;
    // The brief's floor: every request paced at 60/min. Xero's window is rolling, so the first 60 go at once.
    const rollingFloorMs = (Math.max(0, lim.requests - 60) / 60) * 60_000;

    const rows: [string, string, string, string][] = [
      ['ingest: raw insert / our upsert', `${ingest.ratio.toFixed(2)}×`, '≥ 0.5×', `${ingest.rows} rows; raw ${ingest.rawMs.toFixed(0)} ms, ours ${ingest.oursMs.toFixed(0)} ms (medians of 3)`],
      ['score open invoices', `${score.medianMs.toFixed(0)} ms`, '< 300 ms', `${score.invoices} open invoices; median of 7, best ${score.minMs.toFixed(0)} ms`],
      ['draft context + fact-check', `${drafts.contextMedianMs.toFixed(1)} ms`, '< 50 ms', `per draft, template text, no LLM; median of ${drafts.drafts} customers (p95 ${drafts.contextP95Ms.toFixed(1)} ms), ${drafts.invoices.toLocaleString()}-invoice company`],
      ['batch approve 200 drafts', `${drafts.approveMs.toFixed(0)} ms`, '< 1000 ms', `${drafts.approved} approved in one call: rules, audit per draft, queued to send`],
      ['board first paint', `${median(web.firstPaintMs).toFixed(0)} ms`, '< 1000 ms', `${web.invoices} invoices; navigation → first queue row, median of ${web.firstPaintMs.length} (first ever load: ${web.coldPaintMs.toFixed(0)} ms)`],
      ['filter (tier chip)', `${median(web.filterMs).toFixed(0)} ms`, '< 50 ms', `click → queue repainted, median of ${web.filterMs.length} after one warm-up round`],
      ['filter (aging bar)', `${median(web.bucketMs).toFixed(0)} ms`, '< 50 ms', `click → queue repainted, median of ${web.bucketMs.length} after one warm-up round`],
      ['search (typed, incl. debounce)', `${median(web.searchMs).toFixed(0)} ms`, '—', `fill → new result, median of ${web.searchMs.length}`],
      ['QBO full sync: requests / 1,000 records', qbo.perThousand.toFixed(2), '≤ 1.1', `${qbo.fullRequests} requests for ${qbo.records} records`],
      ['QBO increment', `${qbo.incrementRequests} request(s)`, '1', `${qbo.incrementChanges} changes (30 payments, 20 edits) through CDC`],
      ['QBO full sync wall time', `${(qbo.fullMs / 1000).toFixed(1)} s / ${(qbo.fullMsLatency / 1000).toFixed(1)} s`, '—', `emulator latency 0 ms / ${qbo.latencyMs} ms per request`],
      ['Xero full sync: requests / 1,000 records', xero.perThousand.toFixed(2), '≤ 1.1', `${xero.fullRequests} requests for ${xero.records} records`],
      ['Xero increment', `${xero.incrementRequests} request(s)`, '≤ 3', `${xero.incrementChanges} changes (30 payments, 15 contact edits, 5 new invoices) via If-Modified-Since`],
      ['Xero full sync wall time', `${(xero.fullMs / 1000).toFixed(1)} s / ${(xero.fullMsLatency / 1000).toFixed(1)} s`, '—', `emulator latency 0 ms / ${xero.latencyMs} ms per request, limits off`],
      ['Xero full sync at 60/min', `${(lim.ms / 1000).toFixed(1)} s`, `floor ${(lim.floorMs / 1000).toFixed(0)} s`, `${lim.requests} requests, ${lim.invoices.toLocaleString()} invoices, ${lim.latencyMs} ms latency; ${(lim.ms / lim.floorMs).toFixed(2)}× the requests/60-per-min floor (rolling window: first 60 at once, so ${(rollingFloorMs / 1000).toFixed(0)} s)`],
      ['core RSS (browser mode)', `${web.rssMb} MB`, '< 250 MB', `after the loads and filters above (demo seeded by the CLI in ${(web.seedMs / 1000).toFixed(1)} s; server ready in ${(web.startMs / 1000).toFixed(1)} s)`],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['figure', 'measured', 'target', 'notes'][i]!.length));
    const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    process.stdout.write(`${[line(['figure', 'measured', 'target', 'notes']), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
