// Every migration, in order. Append only: a shipped migration is never edited.
import type { Migration } from '../migrate';
import { initial } from './0001-initial';

export const migrations: readonly Migration[] = [initial];
