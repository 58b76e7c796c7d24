// The Activity page behind the contract (issue 5, item 7): audit.list pages the audit log with
// filters, audit.export writes the same filter as CSV, audit.verify walks the hash chain.
// Read-only: nothing here appends to the log.
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { ActivityExport } from '../../../shared/activity';
import { localDate } from '../../../shared/dates';
import { activityCsvRow, BOM, CSV_HEADER, csvLine } from './csv';
import { verifyAudit } from './log';
import { iterateAudit, listAudit, type AuditFilter } from './query';
import type { Db } from '../db/open';
import type { Clock } from '../ports';

export interface ActivityDeps {
  db: Db;
  clock: Clock;
}

export const ACTIVITY_PAGE_SIZE = 100;

/** The whole export as one CSV text (BOM, header, one line per row, newest first). */
export function exportActivity(db: Db, clock: Clock, filter: AuditFilter, locale?: string): ActivityExport {
  const timeZone = clock.timeZone();
  const lines = [BOM, csvLine(CSV_HEADER)];
  let rows = 0;
  for (const item of iterateAudit(db, filter, { timeZone, locale })) {
    lines.push(activityCsvRow(item, timeZone, locale));
    rows++;
  }
  return { filename: `settle-activity-${localDate(clock.now(), timeZone)}.csv`, csv: lines.join(''), rows };
}

export function createActivityService(deps: ActivityDeps): { handlers: HandlerGroup[] } {
  const { db, clock } = deps;
  const handlers: HandlerGroup[] = [
    defineHandlers('audit', {
      list: (input = {}) => {
        const { cursor, limit, ...filter } = input;
        return listAudit(db, filter, { cursor, limit: limit ?? ACTIVITY_PAGE_SIZE }, { timeZone: clock.timeZone() });
      },
      export: (input = {}) => {
        const { locale, ...filter } = input;
        return exportActivity(db, clock, filter, locale);
      },
      verify: () => verifyAudit(db),
    }),
  ];
  return { handlers };
}
