// Every migration, in order. Append only: a shipped migration is never edited.
import type { Migration } from '../migrate';
import { initial } from './0001-initial';
import { syncRunsDetail } from './0002-sync-runs-detail';
import { drafts } from './0003-drafts';
import { followup } from './0004-followup';
import { outbox } from './0005-outbox';
import { auditIndex } from './0006-audit-index';

export const migrations: readonly Migration[] = [initial, syncRunsDetail, drafts, followup, outbox, auditIndex];
