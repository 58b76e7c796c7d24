// "Draft follow-up" on a broken promise (Promises page, drawer, notification centre): the core
// drafts a firm reminder with the promise in its facts, and the draft editor opens on it.
import { call } from '../../lib/api';
import { useDraftStore } from '../drafts/drafts.store';

export async function draftFollowUp(promiseId: number): Promise<void> {
  const draft = await call('promises.followUp', { promiseId });
  await useDraftStore.getState().openDraft(draft.id);
}
