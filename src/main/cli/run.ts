// `settle` commands over the same core as the app. Output is for people by default and
// stable JSON with --json; bad arguments print usage and exit 2.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { isIsoDate } from '../../shared/dates';
import { fromMinorUnits } from '../../shared/money';
import { SettleError } from '../../shared/errors';
import { createCore, DB_FILE, type Core } from '../core/app';
import { resolveDataDir } from '../core/data-dir';
import { consoleLogger } from '../core/log';
import { fixedClock, systemClock, type Clock, type SecretStore } from '../core/ports';
import { agingReport, queueReport } from '../core/ledger';
import { chooseSecretStore } from '../core/secrets';
import { createKeychainStore } from '../shell/keychain';
import type { SyncRunOutcome } from '../../shared/model';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const USAGE = `Usage: settle <command> [options]

Commands:
  demo   [--invoices N] [--seed S]          create (or replace) the demo company
  aging  [--json] [--as-of YYYY-MM-DD]      A/R aging per currency, in minor units
  queue  [--json] [--as-of YYYY-MM-DD] [--limit N] [--all]
                                            overdue invoices by score (--all adds not yet due)
  connect qbo --token-file F                connect QuickBooks headlessly; F is JSON:
                                            {"accessToken","refreshToken","expiresAt","realmId","clientId","clientSecret"}
                                            prints the new connection's id
  connect xero --token-file F               connect one Xero organisation headlessly; F is JSON:
                                            {"accessToken","refreshToken","expiresAt","tenantId","clientId"}
                                            prints the new connection's id
  sync   [--connection ID] [--full] [--json]
                                            sync QuickBooks and Xero now, with progress and a summary
  audit verify [--json]                     check the audit trail's hash chain; exit 1 naming the
                                            first broken row
  help                                      this text

Every command takes --data-dir DIR (or SETTLE_DATA_DIR); the default is the app's own folder.
Secrets go to the OS keychain; where there is none (servers, CI) set SETTLE_SECRET_STORE=file.
SETTLE_QBO_API_BASE and SETTLE_QBO_OAUTH_BASE point QuickBooks at another server (the emulator);
SETTLE_XERO_API_BASE and SETTLE_XERO_IDENTITY_BASE do the same for Xero.`;

const TokenFile = z
  .object({
    accessToken: z.string().min(1, 'accessToken is empty'),
    refreshToken: z.string().min(1, 'refreshToken is empty'),
    expiresAt: z.string().datetime({ offset: true, message: 'expiresAt must be an ISO instant such as 2026-11-21T16:00:00Z' }),
    realmId: z.string().regex(/^\d{1,40}$/, 'realmId must be the QuickBooks company id (digits)'),
    clientId: z.string().min(1, 'clientId is empty'),
    clientSecret: z.string().min(1, 'clientSecret is empty'),
  })
  .strict();

const XeroTokenFile = z
  .object({
    accessToken: z.string().min(1, 'accessToken is empty'),
    refreshToken: z.string().min(1, 'refreshToken is empty'),
    expiresAt: z.string().datetime({ offset: true, message: 'expiresAt must be an ISO instant such as 2026-11-21T16:00:00Z' }),
    tenantId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'tenantId must be the Xero organisation id (a GUID)'),
    clientId: z.string().min(1, 'clientId is empty'),
  })
  .strict();

function readTokenFile(path: string): z.infer<typeof TokenFile>;
function readTokenFile<S extends z.ZodTypeAny>(path: string, schema: S): z.infer<S>;
function readTokenFile(path: string, schema: z.ZodTypeAny = TokenFile): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SettleError('invalid_input', `Cannot read the token file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SettleError('invalid_input', `The token file ${path} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new SettleError('invalid_input', `The token file ${path} is not usable:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

class UsageError extends Error {}

const common = {
  'data-dir': { type: 'string' },
  now: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function intFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function dateFlag(value: string | undefined): string | undefined {
  if (value !== undefined && !isIsoDate(value)) throw new UsageError('--as-of must be a date as YYYY-MM-DD');
  return value;
}

function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  try {
    return fixedClock(now, 'UTC');
  } catch {
    throw new UsageError('--now must be an ISO instant such as 2026-11-21T15:00:00Z');
  }
}

function openCore(values: { 'data-dir'?: string; now?: string }, io: CliIo, secrets?: SecretStore): Core {
  const core = createCore({
    dataDir: resolveDataDir(values['data-dir'], io.env),
    clock: clockFrom(values.now),
    logger: consoleLogger('warn'),
    autoDemo: false,
    env: io.env,
    ...(secrets ? { secrets } : {}),
  });
  return core;
}

/** The SecretStore for commands that need one; a weaker store's warning goes to stderr. */
function secretStore(values: { 'data-dir'?: string }, io: CliIo): SecretStore {
  const chosen = chooseSecretStore({ env: io.env, dataDir: resolveDataDir(values['data-dir'], io.env), keychain: () => createKeychainStore() });
  if (chosen.warning) io.err(`settle: warning: ${chosen.warning}\n`);
  return chosen.store;
}

type Command = (args: string[], io: CliIo) => Promise<number>;

async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const v = parse(args, { invoices: { type: 'string' }, seed: { type: 'string' } });
  const invoices = intFlag(v.invoices, 'invoices', 10, 100_000);
  const seed = intFlag(v.seed, 'seed', 0, 2 ** 31 - 1);
  const core = openCore(v, io);
  try {
    const conn = await core.call('demo.create', { invoices, seed });
    io.out(`Created the demo company “${conn.name}” in ${core.dataDir}\n`);
  } finally {
    core.close();
  }
  return 0;
}

async function agingCommand(args: string[], io: CliIo): Promise<number> {
  const v = parse(args, { json: { type: 'boolean' }, 'as-of': { type: 'string' } });
  const asOf = dateFlag(v['as-of']);
  const core = openCore(v, io);
  try {
    const report = agingReport(core.db, core.activeConnectionId(), asOf ?? core.today());
    io.out(v.json ? `${JSON.stringify(report)}\n` : formatAging(report));
  } finally {
    core.close();
  }
  return 0;
}

async function queueCommand(args: string[], io: CliIo): Promise<number> {
  const v = parse(args, {
    json: { type: 'boolean' },
    'as-of': { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
  });
  const asOf = dateFlag(v['as-of']);
  const limit = intFlag(v.limit, 'limit', 1, 1_000_000);
  const core = openCore(v, io);
  try {
    const rows = queueReport(core.db, core.activeConnectionId(), asOf ?? core.today(), {
      includeCurrent: v.all === true,
      limit,
    });
    io.out(v.json ? `${JSON.stringify(rows)}\n` : formatQueue(rows));
  } finally {
    core.close();
  }
  return 0;
}

async function connectCommand([provider, ...more]: string[], io: CliIo): Promise<number> {
  if (provider === 'xero') {
    const v = parse(more, { 'token-file': { type: 'string' } });
    if (!v['token-file']) throw new UsageError('connect xero needs --token-file F');
    const tokens = readTokenFile(v['token-file'], XeroTokenFile);
    const core = openCore(v, io, secretStore(v, io));
    try {
      const conn = await core.connectXeroWithTokens(tokens);
      io.out(`${conn.id}\n`);
      io.err(`Connected Xero organisation “${conn.name}” (${conn.homeCurrency}). Run \`settle sync\` to bring its books in.\n`);
    } finally {
      await core.shutdown();
    }
    return 0;
  }
  if (provider !== 'qbo') throw new UsageError('connect needs a provider: settle connect qbo|xero --token-file F');
  const v = parse(more, { 'token-file': { type: 'string' } });
  if (!v['token-file']) throw new UsageError('connect qbo needs --token-file F');
  const tokens = readTokenFile(v['token-file']);
  const core = openCore(v, io, secretStore(v, io));
  try {
    const conn = await core.connectQboWithTokens(tokens);
    io.out(`${conn.id}\n`);
    io.err(`Connected QuickBooks company “${conn.name}” (${conn.homeCurrency}). Run \`settle sync\` to bring its books in.\n`);
  } finally {
    await core.shutdown();
  }
  return 0;
}

async function syncCommand(args: string[], io: CliIo): Promise<number> {
  const v = parse(args, { connection: { type: 'string' }, full: { type: 'boolean' }, json: { type: 'boolean' } });
  if (v.connection !== undefined && v.connection.trim() === '') throw new UsageError('--connection needs a connection id');
  const core = openCore(v, io, secretStore(v, io));
  const progressTo = v.json ? io.err : io.out;
  const off = core.events.on('sync.progress', (p) => {
    const count = p.total ? ` (${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')})` : p.done > 0 ? ` (${p.done.toLocaleString('en-US')})` : '';
    progressTo(`  ${p.message}${count}\n`);
  });
  try {
    const result = await core.call('sync.run', { ...(v.connection ? { connectionId: v.connection } : {}), ...(v.full ? { full: true } : {}) });
    if (v.json) io.out(`${JSON.stringify(result)}\n`);
    else io.out(result.runs.map(formatRun).join(''));
    return result.runs.every((r) => r.status === 'ok') ? 0 : 1;
  } finally {
    off();
    await core.shutdown();
  }
}

async function auditCommand([sub, ...more]: string[], io: CliIo): Promise<number> {
  if (sub !== 'verify') throw new UsageError('audit needs a subcommand: settle audit verify');
  const v = parse(more, { json: { type: 'boolean' } });
  const dataDir = resolveDataDir(v['data-dir'], io.env);
  // Verifying must not create an empty ledger where there was none.
  if (!existsSync(join(dataDir, DB_FILE))) throw new SettleError('not_found', `No Settle data in ${dataDir} (no ${DB_FILE})`);
  const core = openCore(v, io);
  try {
    const verdict = await core.call('audit.verify');
    if (v.json) io.out(`${JSON.stringify(verdict)}\n`);
    else if (verdict.ok) io.out(`Audit trail intact: ${verdict.rows.toLocaleString('en-US')} entries, every link checks out.\n`);
    else io.out(`Audit trail broken at row ${verdict.brokenAtId} (of ${verdict.rows.toLocaleString('en-US')} entries): ${verdict.message}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    core.close();
  }
}

const help: Command = (_args, io) => {
  io.out(`${USAGE}\n`);
  return Promise.resolve(0);
};

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['demo', demoCommand],
  ['aging', agingCommand],
  ['queue', queueCommand],
  ['connect', connectCommand],
  ['sync', syncCommand],
  ['audit', auditCommand],
  ['help', help],
  ['--help', help],
  ['-h', help],
]);

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) throw new UsageError('No command given');
    const run = COMMANDS.get(command);
    if (!run) throw new UsageError(`Unknown command: ${command}`);
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`settle: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof SettleError) {
      io.err(`settle: ${err.message}\n`);
      return 1;
    }
    io.err(`settle: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function formatRun(r: SyncRunOutcome): string {
  const secs = (r.durationMs / 1000).toFixed(1);
  const head =
    r.status === 'ok'
      ? `Synced ${r.connectionId} (${r.kind ?? 'sync'}): ${r.records.toLocaleString('en-US')} records, ${r.requests} requests, ${secs} s, ${r.warnings} warning(s)`
      : `Sync of ${r.connectionId} ${r.status === 'skipped' ? 'did not start' : r.status}: ${r.error ?? 'unknown error'}` +
        (r.status === 'skipped' ? '' : ` (${r.records.toLocaleString('en-US')} records, ${r.requests} requests, ${secs} s, ${r.warnings} warning(s))`);
  const lines = [head, ...r.warningLines.slice(0, 10).map((w) => `  warning: ${w}`)];
  if (r.warnings > 10) lines.push(`  … and ${r.warnings - 10} more warning(s)`);
  if (r.retryAt) lines.push(`  The provider's API limits lift at ${r.retryAt}`);
  return `${lines.join('\n')}\n`;
}

type AgingReport = ReturnType<typeof agingReport>;
type QueueReport = ReturnType<typeof queueReport>;

function formatAging(report: AgingReport): string {
  const cols = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus', 'total'] as const;
  const head = ['Currency', 'Current', '1–30', '31–60', '61–90', '90+', 'Total'];
  const lines = [`A/R aging as of ${report.asOf}`, head.map((h) => h.padStart(12)).join('')];
  for (const [currency, b] of Object.entries(report.currencies)) {
    lines.push([currency, ...cols.map((c) => fromMinorUnits(b[c], currency))].map((s) => s.padStart(12)).join(''));
  }
  if (Object.keys(report.currencies).length === 0) lines.push('Nothing outstanding.');
  return `${lines.join('\n')}\n`;
}

function formatQueue(rows: QueueReport): string {
  if (rows.length === 0) return 'Nothing overdue.\n';
  return `${rows
    .map(
      (r) =>
        `${String(r.score).padStart(3)} ${r.tier.padEnd(6)} ${r.number.padEnd(10)} ${r.customer.slice(0, 28).padEnd(28)} ` +
        `${String(r.daysOverdue).padStart(4)}d ${r.currency} ${fromMinorUnits(r.balanceCents, r.currency).padStart(11)}  ${r.nextAction}`,
    )
    .join('\n')}\n`;
}
