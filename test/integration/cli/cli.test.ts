import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/main/cli/run';
import { tempDir } from '../../support/tmp';

const NOW = '2026-11-21T15:00:00Z';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env: {} };
  const code = await runCli(args, io);
  return { code, out, err };
}

interface QueueJson {
  invoiceId: number;
  customer: string;
  number: string;
  dueDate: string;
  daysOverdue: number;
  balanceCents: number;
  currency: string;
  score: number;
  tier: string;
  nextAction: string;
  factors: { name: string; contribution: number }[];
}
type AgingJson = { asOf: string; currencies: Record<string, Record<'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus' | 'total', number>> };

describe('settle CLI', () => {
  const dir = tempDir();
  const data = ['--data-dir', dir.path];
  afterAll(() => dir.cleanup());

  it('creates the demo company and reports aging that agrees with the queue, per currency', async () => {
    expect((await run(['demo', ...data, '--now', NOW])).code).toBe(0);
    for (const asOf of ['2026-11-21', '2026-06-30']) {
      const aging = JSON.parse((await run(['aging', '--json', '--as-of', asOf, ...data])).out) as AgingJson;
      const overdue = JSON.parse((await run(['queue', '--json', '--as-of', asOf, ...data])).out) as QueueJson[];
      const all = JSON.parse((await run(['queue', '--json', '--all', '--as-of', asOf, ...data])).out) as QueueJson[];
      expect(aging.asOf).toBe(asOf);
      expect(Object.keys(aging.currencies).length).toBeGreaterThan(1);
      expect(overdue.length).toBeGreaterThan(10);
      for (const [currency, b] of Object.entries(aging.currencies)) {
        const sum = (rows: QueueJson[]): number => rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.balanceCents, 0);
        expect(b.d1_30 + b.d31_60 + b.d61_90 + b.d90_plus, `${currency} overdue on ${asOf}`).toBe(sum(overdue));
        expect(b.total, `${currency} total on ${asOf}`).toBe(sum(all));
        expect(b.total).toBe(b.current + b.d1_30 + b.d31_60 + b.d61_90 + b.d90_plus);
      }
      // Sorted by score, highest first, and only overdue invoices without --all.
      for (let i = 1; i < overdue.length; i++) expect(overdue[i - 1]!.score).toBeGreaterThanOrEqual(overdue[i]!.score);
      expect(overdue.every((r) => r.daysOverdue > 0)).toBe(true);
      expect(all.some((r) => r.daysOverdue <= 0)).toBe(true);
      const first = overdue[0]!;
      expect(first.factors.map((f) => f.name)).toEqual([
        'days_overdue', 'days_to_pay', 'relative_amount', 'exposure', 'since_contact', 'broken_promises', 'open_disputes',
      ]);
      expect(Math.round(first.factors.reduce((s, f) => s + f.contribution, 0))).toBe(first.score);
    }
  });

  it('limits the queue', async () => {
    const rows = JSON.parse((await run(['queue', '--json', '--limit', '3', ...data])).out) as QueueJson[];
    expect(rows).toHaveLength(3);
  });

  it('answers bad flags with usage and exit code 2', async () => {
    for (const args of [['queue', '--bogus'], ['aging', '--as-of', '2026-02-30'], ['queue', '--limit', 'ten'], ['fly'], [], ['demo', '--invoices', '5']]) {
      const r = await run([...args, ...data]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/Usage: settle/);
      expect(r.out).toBe('');
    }
  });

  it('says clearly when there is no company yet', async () => {
    const empty = tempDir();
    const r = await run(['aging', '--json', '--data-dir', empty.path]);
    empty.cleanup();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No company yet/);
  });

  it('runs as the built `settle` command', () => {
    const bin = join(__dirname, '../../../bin/settle.js');
    expect(existsSync(join(__dirname, '../../../out/main/cli.js')), 'run `npm run build` before the tests').toBe(true);
    const res = spawnSync(process.execPath, [bin, 'aging', '--json', '--as-of', '2026-11-21', ...data], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect((JSON.parse(res.stdout) as AgingJson).currencies.USD!.total).toBeGreaterThan(0);
    const bad = spawnSync(process.execPath, [bin, 'aging', '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
