// A sync run a crash or a kill -9 left 'running' is closed as 'aborted' when Settle starts again
// (issue 11 §5), so the board never shows a sync that is not happening; finished runs are kept.
import { describe, expect, it } from 'vitest';
import { createConnection } from '../../../src/main/core/connectors/connections.repo';
import { finishRun, INTERRUPTED_RUN, lastRun, startRun } from '../../../src/main/core/sync/sync-runs.repo';
import { tempDir } from '../../support/tmp';
import { openCore } from '../core/helpers';

describe('sync runs interrupted by a stop', () => {
  it('are closed as aborted at the next start; finished runs are left alone', async () => {
    const dir = tempDir();
    try {
      const first = openCore(dir.path, { autoDemo: false, start: false });
      const db = first.core.db;
      createConnection(db, { id: 'c1', provider: 'qbo', name: 'Harbor', homeCurrency: 'USD' }, '2026-11-20T10:00:00.000Z');
      const done = startRun(db, 'c1', 'full', '2026-11-20T10:00:00.000Z', 'manual');
      finishRun(db, done, { status: 'ok', requests: 3, records: 10, atIso: '2026-11-20T10:01:00.000Z' });
      startRun(db, 'c1', 'incremental', '2026-11-20T11:00:00.000Z', 'interval'); // the process died here
      expect(lastRun(db, 'c1')).toMatchObject({ status: 'running' });
      first.core.close();

      const again = openCore(dir.path, { autoDemo: false });
      expect(lastRun(again.core.db, 'c1')).toMatchObject({ status: 'aborted', error: INTERRUPTED_RUN });
      expect(again.core.db.prepare("SELECT status FROM sync_runs WHERE id = ?").pluck().get(done)).toBe('ok');
      expect((await again.call('sync.status')).running).toBe(false);
      again.core.close();
    } finally {
      dir.cleanup();
    }
  });
});
