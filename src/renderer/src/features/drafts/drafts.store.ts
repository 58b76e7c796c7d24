// The draft editor's state: which draft is open, its live text (streamed AI tokens, then the
// owner's edits), the fact-check of that live text (re-run shortly after each keystroke through
// drafts.check, which stores nothing), and the actions (tone, save, submit, cancel).
import { create, type StoreApi } from 'zustand';
import type { DraftFinding, DraftTone, DraftView } from '../../../../shared/model';
import { call, on } from '../../lib/api';

export type DraftBusy = 'create' | 'regenerate' | 'save' | 'submit' | 'cancel' | 'options' | null;

interface DraftState {
  open: boolean;
  customerId: number | null;
  customerName: string | null;
  draft: DraftView | null;
  subject: string;
  body: string;
  findings: DraftFinding[];
  flagged: number;
  /** The text differs from the saved draft. */
  dirty: boolean;
  checking: boolean;
  streaming: boolean;
  busy: DraftBusy;
  error: string | null;
  notice: string | null;
  openForCustomer(customerId: number, name?: string): void;
  /** A reminder about one invoice of the customer. */
  openForInvoice(invoiceId: number, customerId: number, name?: string): void;
  openDraft(draftId: number): Promise<void>;
  close(): void;
  setText(subject: string, body: string): void;
  setTone(tone: DraftTone): Promise<void>;
  save(): Promise<DraftView | null>;
  submit(overrideReason?: string): Promise<boolean>;
  cancelDraft(): Promise<void>;
  /** The pay link and invoice PDF toggles (kept on the draft, used when it is sent). */
  setOptions(options: { payLink?: boolean; attachPdf?: boolean }): Promise<void>;
}

/** Drops answers for a draft the owner already left. */
let generation = 0;
let checkTimer: ReturnType<typeof setTimeout> | null = null;
let checkSeq = 0;
const CHECK_DELAY_MS = 250;

function fromDraft(draft: DraftView) {
  return { draft, subject: draft.subject, body: draft.body, findings: draft.findings, flagged: draft.flagged, dirty: false };
}

type Set = StoreApi<DraftState>['setState'];
type Get = StoreApi<DraftState>['getState'];

const INITIAL = {
  open: false,
  customerId: null,
  customerName: null,
  draft: null,
  subject: '',
  body: '',
  findings: [],
  flagged: 0,
  dirty: false,
  checking: false,
  streaming: false,
  busy: null,
  error: null,
  notice: null,
} satisfies Partial<DraftState>;

function fail(set: Set, mine: number, err: unknown): void {
  if (mine !== generation) return;
  set({ busy: null, streaming: false, error: (err as Error).message });
}

/** Opening a draft (a new one for a customer or invoice, or an existing one) and closing it. */
function openingActions(set: Set): Pick<DraftState, 'openForCustomer' | 'openForInvoice' | 'openDraft' | 'close'> {
  const openNew = (input: { customerId: number } | { invoiceId: number }, customerId: number, name?: string): void => {
    const mine = ++generation;
    set({ open: true, customerId, customerName: name ?? null, draft: null, subject: '', body: '', findings: [], flagged: 0, dirty: false, busy: 'create', streaming: true, error: null, notice: null });
    void call('drafts.create', input)
      .then((draft) => {
        if (mine !== generation) return;
        set({ ...fromDraft(draft), busy: null, streaming: false, notice: draft.notice ?? null, customerName: draft.customer.name });
      })
      .catch((err: unknown) => fail(set, mine, err));
  };

  return {
    openForCustomer(customerId, name) {
      openNew({ customerId }, customerId, name);
    },

    openForInvoice(invoiceId, customerId, name) {
      openNew({ invoiceId }, customerId, name);
    },

    async openDraft(draftId) {
      const mine = ++generation;
      set({ open: true, draft: null, busy: 'create', streaming: false, error: null, notice: null });
      try {
        const draft = await call('drafts.get', { draftId });
        if (mine !== generation) return;
        set({ ...fromDraft(draft), busy: null, customerId: draft.customer.id, customerName: draft.customer.name });
      } catch (err) {
        fail(set, mine, err);
      }
    },

    close() {
      generation++;
      if (checkTimer) clearTimeout(checkTimer);
      set({ open: false, busy: null, streaming: false, checking: false });
    },
  };
}

/** Editing the open draft: its text (fact-checked shortly after each change), its tone, saving. */
function editingActions(set: Set, get: Get): Pick<DraftState, 'setText' | 'setTone' | 'save'> {
  return {
    setText(subject, body) {
      const draft = get().draft;
      if (!draft) return;
      set({ subject, body, dirty: subject !== draft.subject || body !== draft.body, checking: true });
      if (checkTimer) clearTimeout(checkTimer);
      const mine = generation;
      checkTimer = setTimeout(() => {
        const seq = ++checkSeq;
        void call('drafts.check', { draftId: draft.id, subject, body })
          .then((r) => {
            if (mine !== generation || seq !== checkSeq) return;
            set({ findings: r.findings, flagged: r.flagged, checking: false });
          })
          .catch(() => {
            if (mine === generation && seq === checkSeq) set({ checking: false });
          });
      }, CHECK_DELAY_MS);
    },

    async setTone(tone) {
      const { draft } = get();
      if (!draft || tone === draft.tone) return;
      const mine = ++generation;
      set({ busy: 'regenerate', streaming: true, error: null, notice: null });
      try {
        const next = await call('drafts.regenerate', { draftId: draft.id, tone });
        if (mine !== generation) return;
        set({ ...fromDraft(next), busy: null, streaming: false, notice: next.notice ?? null });
      } catch (err) {
        fail(set, mine, err);
      }
    },

    async save() {
      const { draft, subject, body, dirty } = get();
      if (!draft) return null;
      if (!dirty) return draft;
      const mine = generation;
      set({ busy: 'save', error: null });
      try {
        const saved = await call('drafts.update', { draftId: draft.id, subject, body });
        if (mine !== generation) return null;
        // Keep typing that happened while saving.
        const now = get();
        const unchanged = now.subject === subject && now.body === body;
        set({ draft: saved, busy: null, ...(unchanged ? fromDraft(saved) : { dirty: true }) });
        return saved;
      } catch (err) {
        fail(set, mine, err);
        return null;
      }
    },
  };
}

/** What the owner decides: submit for sending, cancel, and the pay link and PDF toggles. */
function outcomeActions(set: Set, get: Get): Pick<DraftState, 'submit' | 'cancelDraft' | 'setOptions'> {
  return {
    async submit(overrideReason) {
      const saved = await get().save();
      if (!saved) return false;
      const mine = generation;
      set({ busy: 'submit', error: null });
      try {
        const draft = await call('drafts.submit', { draftId: saved.id, ...(overrideReason ? { overrideReason } : {}) });
        if (mine !== generation) return false;
        set({ ...fromDraft(draft), busy: null });
        return true;
      } catch (err) {
        fail(set, mine, err);
        return false;
      }
    },

    async cancelDraft() {
      const { draft } = get();
      if (!draft) return;
      const mine = generation;
      set({ busy: 'cancel', error: null });
      try {
        const cancelled = await call('drafts.cancel', { draftId: draft.id });
        if (mine !== generation) return;
        set({ ...fromDraft(cancelled), busy: null });
        get().close();
      } catch (err) {
        fail(set, mine, err);
      }
    },

    async setOptions(options) {
      const { draft } = get();
      if (!draft) return;
      const mine = generation;
      const before = { payLink: draft.payLink, attachPdf: draft.attachPdf };
      // Optimistic: the checkbox follows the click; the core's answer confirms or reverts it.
      set({ draft: { ...draft, ...options }, busy: 'options', error: null });
      try {
        const next = await call('drafts.setOptions', { draftId: draft.id, ...options });
        if (mine !== generation) return;
        // Only the toggles changed: keep the owner's unsaved text.
        set({ draft: { ...get().draft!, payLink: next.payLink, attachPdf: next.attachPdf, updatedAt: next.updatedAt }, busy: null });
      } catch (err) {
        if (mine === generation && get().draft) set({ draft: { ...get().draft!, ...before } });
        fail(set, mine, err);
      }
    },
  };
}

export const useDraftStore = create<DraftState>((set, get) => {
  // AI text streams in while drafts.create or drafts.regenerate is pending.
  on('drafts.token', (t) => {
    const s = get();
    if (!s.open || !s.streaming || t.customerId !== s.customerId) return;
    if (s.draft && s.draft.id !== t.draftId) return;
    set({ subject: t.subject || s.subject, body: t.body, findings: [], flagged: 0 });
  });

  return { ...INITIAL, ...openingActions(set), ...editingActions(set, get), ...outcomeActions(set, get) };
});
