// The Activity export: RFC 4180 CSV (every field quoted when it holds a comma, quote, CR or LF;
// quotes doubled; CRLF between records) with a UTF-8 byte-order mark so spreadsheet apps read
// accents right. Each row carries the UTC instant, the owner's local time, the plain-words line
// and the (redacted) detail as JSON.
import { describeActivity, FAMILY_LABELS, WHO_LABELS, type ActivityItem } from '../../../shared/activity';
import { zoneOffsetMs } from '../followup';

export const CSV_HEADER = ['id', 'at_utc', 'local_time', 'who', 'family', 'action', 'summary', 'customer', 'invoices', 'detail_json'] as const;

/** One CSV field: quoted only when it has to be, with formula-looking text defused for spreadsheets. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet; a quote mark keeps it text (OWASP CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** "2026-11-21 16:05:09" in the owner's time zone (the system's when unknown). */
export function localTime(iso: string, timeZone: string | undefined): string {
  const t = Date.parse(iso);
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return new Date(t + zoneOffsetMs(t, zone)).toISOString().slice(0, 19).replace('T', ' ');
}

export function activityCsvRow(item: ActivityItem, timeZone: string | undefined, locale: string | undefined): string {
  return csvLine([
    item.id,
    item.at,
    localTime(item.at, timeZone),
    WHO_LABELS[item.who],
    FAMILY_LABELS[item.family],
    item.action,
    describeActivity(item, locale),
    item.customer ? (item.customer.name ?? `removed customer #${item.customer.id}`) : null,
    item.invoices.join(' '),
    JSON.stringify(item.detail ?? {}),
  ]);
}

export const BOM = '\uFEFF';
