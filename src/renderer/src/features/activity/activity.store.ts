// The Activity page's state: the filters, the rows loaded so far (newest first, older pages
// appended through the cursor), the export and the chain check. A request counter drops answers
// for filters the owner has already changed.
import { create } from 'zustand';
import type { ActivityFamily, ActivityItem, AuditCheck } from '../../../../shared/activity';
import { call } from '../../lib/api';

export interface ActivityFilters {
  families: ActivityFamily[];
  customer: { id: number; name: string | null } | null;
  from: string;
  to: string;
  search: string;
}

export const NO_FILTERS: ActivityFilters = { families: [], customer: null, from: '', to: '', search: '' };

export function hasFilters(f: ActivityFilters): boolean {
  return f.families.length > 0 || f.customer !== null || f.from !== '' || f.to !== '' || f.search.trim() !== '';
}

/** The contract's filter for these UI filters (empty fields left out). */
export function filterInput(f: ActivityFilters) {
  return {
    ...(f.families.length ? { families: f.families } : {}),
    ...(f.customer ? { customerId: f.customer.id } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
  };
}

interface ActivityState {
  filters: ActivityFilters;
  items: ActivityItem[];
  nextCursor: number | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  verifying: boolean;
  verdict: AuditCheck | null;
  exporting: boolean;
  setFilters(patch: Partial<ActivityFilters>): void;
  toggleFamily(family: ActivityFamily): void;
  clearFilters(): void;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  verify(): Promise<void>;
  exportCsv(locale: string): Promise<void>;
}

export const ACTIVITY_PAGE = 100;
let request = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;

/** Downloads text as a file: an object URL and a temporary link (works in a browser and in Electron). */
function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export const useActivityStore = create<ActivityState>((set, get) => ({
  filters: NO_FILTERS,
  items: [],
  nextCursor: null,
  loading: false,
  loaded: false,
  error: null,
  verifying: false,
  verdict: null,
  exporting: false,

  setFilters(patch) {
    set({ filters: { ...get().filters, ...patch } });
    clearTimeout(searchTimer);
    // Typing waits a moment; every other filter applies at once.
    if (Object.keys(patch).length === 1 && 'search' in patch) searchTimer = setTimeout(() => void get().load(), 150);
    else void get().load();
  },

  toggleFamily(family) {
    const families = get().filters.families;
    get().setFilters({ families: families.includes(family) ? families.filter((f) => f !== family) : [...families, family] });
  },

  clearFilters() {
    get().setFilters({ ...NO_FILTERS });
  },

  async load() {
    const mine = ++request;
    set({ loading: true, error: null });
    try {
      const page = await call('audit.list', { ...filterInput(get().filters), limit: ACTIVITY_PAGE });
      if (mine !== request) return;
      set({ items: page.items, nextCursor: page.nextCursor, loading: false, loaded: true });
    } catch (err) {
      if (mine !== request) return;
      set({ loading: false, loaded: true, error: (err as Error).message });
    }
  },

  async loadMore() {
    const cursor = get().nextCursor;
    if (cursor === null || get().loading) return;
    const mine = ++request;
    set({ loading: true });
    try {
      const page = await call('audit.list', { ...filterInput(get().filters), cursor, limit: ACTIVITY_PAGE });
      if (mine !== request) return;
      set({ items: [...get().items, ...page.items], nextCursor: page.nextCursor, loading: false });
    } catch (err) {
      if (mine !== request) return;
      set({ loading: false, error: (err as Error).message });
    }
  },

  async verify() {
    set({ verifying: true, verdict: null, error: null });
    try {
      set({ verdict: await call('audit.verify'), verifying: false });
    } catch (err) {
      set({ verifying: false, error: (err as Error).message });
    }
  },

  async exportCsv(locale) {
    set({ exporting: true, error: null });
    try {
      const file = await call('audit.export', { ...filterInput(get().filters), locale });
      download(file.filename, file.csv, 'text/csv;charset=utf-8');
      set({ exporting: false });
    } catch (err) {
      set({ exporting: false, error: (err as Error).message });
    }
  },
}));
