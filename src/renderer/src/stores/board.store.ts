// The board: the query the owner built (filters, sort) and what the core answered (summary,
// aging, and the queue, fetched in pages as the list scrolls). Every first-page request gets a
// generation number; an answer from an older generation is dropped, so a slow response can
// never overwrite a newer filter's result.
import { create, type StoreApi } from 'zustand';
import type { Input } from '../../../shared/contract';
import type {
  BoardSummary,
  Bucket,
  ConnectionSummary,
  QueueRow,
  QueueSort,
  Tier,
} from '../../../shared/model';
import { call } from '../lib/api';

export const PAGE_SIZE = 200;
const SEARCH_DEBOUNCE_MS = 80;

export type SortDir = 'asc' | 'desc';

export interface BoardFilters {
  tiers: Tier[];
  bucket: Bucket | null;
  currency: string | null;
  search: string;
  sort: QueueSort;
  dir: SortDir;
}

/** The direction each sort starts in: most urgent first, names A to Z. */
export const DEFAULT_DIR: Record<QueueSort, SortDir> = {
  priority: 'desc',
  amount: 'desc',
  overdue: 'desc',
  name: 'asc',
  last_contact: 'asc',
};

export const DEFAULT_FILTERS: BoardFilters = {
  tiers: [],
  bucket: null,
  currency: null,
  search: '',
  sort: 'priority',
  dir: 'desc',
};

export function hasActiveFilters(f: BoardFilters): boolean {
  return f.tiers.length > 0 || f.bucket !== null || f.currency !== null || f.search.trim() !== '';
}

export type DemoAction = 'create' | 'reset' | 'remove';

interface BoardState {
  filters: BoardFilters;
  /** What the search box shows; filters.search follows it after a short debounce. */
  searchText: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** A first page is in flight; what is shown may be about to change. */
  fetching: boolean;
  connection: ConnectionSummary | null;
  summary: BoardSummary | null;
  currencies: string[];
  /** Customers matching the filters (the queue's length). */
  total: number;
  /** Invoices matching the filters, across every page. */
  invoiceTotal: number;
  /** Sparse: index i holds row i once its page has arrived. */
  rows: (QueueRow | undefined)[];
  /** Currency shown by the figures and aging bars. */
  viewCurrency: string | null;
  /** Index of the selected customer in the queue, -1 for none. */
  selected: number;
  expanded: Record<number, true>;
  demoBusy: DemoAction | null;
  /** The currency filter was set by choosing a bucket, so clearing the bucket clears it too. */
  currencyFromBucket: boolean;

  load(opts?: { keepSelection?: boolean }): Promise<void>;
  ensureRange(from: number, to: number): void;
  setFilters(patch: Partial<BoardFilters>): void;
  setSearchText(text: string): void;
  clearFilters(): void;
  toggleTier(tier: Tier): void;
  toggleBucket(bucket: Bucket): void;
  clearBucket(): void;
  setSort(sort: QueueSort, dir?: SortDir): void;
  setViewCurrency(currency: string): void;
  select(index: number): void;
  move(delta: number): void;
  toggleExpanded(customerId: number, open?: boolean): void;
  demo(action: DemoAction): Promise<void>;
}

let generation = 0;
const loadedPages = new Set<number>();
const inflightPages = new Set<number>();
let searchTimer: ReturnType<typeof setTimeout> | undefined;

function queryFor(f: BoardFilters, offset: number, limit: number): Input<'board.get'> {
  const search = f.search.trim();
  return {
    ...(f.tiers.length ? { tiers: f.tiers } : {}),
    ...(f.bucket ? { bucket: f.bucket } : {}),
    ...(f.currency ? { currency: f.currency } : {}),
    ...(search ? { search } : {}),
    // "Current" invoices are not overdue yet, so that bucket needs the open scope.
    ...(f.bucket === 'current' ? { scope: 'open' as const } : {}),
    sort: f.sort,
    dir: f.dir,
    offset,
    limit,
  };
}

function pickViewCurrency(
  current: string | null,
  summary: BoardSummary,
  connection: ConnectionSummary | null,
): string | null {
  const codes = summary.currencies.map((c) => c.currency);
  if (current && codes.includes(current)) return current;
  if (connection && codes.includes(connection.homeCurrency)) return connection.homeCurrency;
  return codes[0] ?? connection?.homeCurrency ?? null;
}

type Set = StoreApi<BoardState>['setState'];
type Get = StoreApi<BoardState>['getState'];

const INITIAL = {
  filters: DEFAULT_FILTERS,
  searchText: '',
  status: 'idle',
  error: null,
  fetching: false,
  connection: null,
  summary: null,
  currencies: [],
  total: 0,
  invoiceTotal: 0,
  rows: [],
  viewCurrency: null,
  selected: -1,
  expanded: {},
  demoBusy: null,
  currencyFromBucket: false,
} satisfies Partial<BoardState>;

/** Fetching: the first page of the current query (dropping stale answers), then pages on demand. */
function fetchActions(set: Set, get: Get): Pick<BoardState, 'load' | 'ensureRange'> {
  return {
    async load(opts) {
      const gen = ++generation;
      inflightPages.clear();
      const { filters, status } = get();
      set({ fetching: true, ...(status === 'idle' || status === 'error' ? { status: 'loading' as const } : {}) });
      try {
        const view = await call('board.get', queryFor(filters, 0, PAGE_SIZE));
        if (gen !== generation) return;
        const rows: (QueueRow | undefined)[] = new Array<QueueRow | undefined>(view.queue.total);
        view.queue.rows.forEach((r, i) => (rows[i] = r));
        loadedPages.clear();
        loadedPages.add(0);
        const prev = get();
        let selected = -1;
        if (opts?.keepSelection && prev.selected >= 0) {
          const id = prev.rows[prev.selected]?.customerId;
          const found = id === undefined ? -1 : view.queue.rows.findIndex((r) => r.customerId === id);
          selected = found >= 0 ? found : Math.min(prev.selected, view.queue.total - 1);
        }
        set({
          status: 'ready',
          error: null,
          fetching: false,
          connection: view.connection,
          summary: view.summary,
          currencies: view.currencies,
          total: view.queue.total,
          invoiceTotal: view.queue.invoices,
          rows,
          selected,
          viewCurrency: pickViewCurrency(prev.viewCurrency, view.summary, view.connection),
        });
      } catch (err) {
        if (gen !== generation) return;
        set({ fetching: false, error: (err as Error).message, status: get().summary ? 'ready' : 'error' });
      }
    },

    ensureRange(from, to) {
      const { status, fetching, total, filters } = get();
      if (status !== 'ready' || fetching || total === 0) return;
      const first = Math.max(0, Math.floor(from / PAGE_SIZE));
      const last = Math.min(Math.floor((total - 1) / PAGE_SIZE), Math.floor(Math.max(from, to) / PAGE_SIZE));
      for (let page = first; page <= last; page++) {
        if (loadedPages.has(page) || inflightPages.has(page)) continue;
        inflightPages.add(page);
        const gen = generation;
        call('board.get', queryFor(filters, page * PAGE_SIZE, PAGE_SIZE))
          .then((view) => {
            if (gen !== generation) return;
            inflightPages.delete(page);
            loadedPages.add(page);
            const rows = get().rows.slice();
            view.queue.rows.forEach((r, i) => {
              const at = page * PAGE_SIZE + i;
              if (at < rows.length) rows[at] = r;
            });
            set({ rows });
          })
          .catch((err: unknown) => {
            if (gen !== generation) return;
            inflightPages.delete(page);
            set({ error: (err as Error).message });
          });
      }
    },
  };
}

/** Building the query: filters, the debounced search box, buckets, sort, the figures' currency. */
function filterActions(set: Set, get: Get): Pick<BoardState, 'setFilters' | 'setSearchText' | 'clearFilters' | 'toggleTier' | 'toggleBucket' | 'clearBucket' | 'setSort' | 'setViewCurrency'> {
  return {
    setFilters(patch) {
      set((s) => ({
        filters: { ...s.filters, ...patch },
        selected: -1,
        ...('currency' in patch ? { currencyFromBucket: false } : {}),
      }));
      void get().load();
    },

    setSearchText(text) {
      set({ searchText: text });
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        if (get().filters.search !== text) get().setFilters({ search: text });
      }, SEARCH_DEBOUNCE_MS);
    },

    clearFilters() {
      clearTimeout(searchTimer);
      const { sort, dir } = get().filters;
      set({ searchText: '', currencyFromBucket: false });
      get().setFilters({ ...DEFAULT_FILTERS, sort, dir });
    },

    toggleTier(tier) {
      const tiers = get().filters.tiers;
      get().setFilters({ tiers: tiers.includes(tier) ? tiers.filter((t) => t !== tier) : [...tiers, tier] });
    },

    toggleBucket(bucket) {
      const { filters, currencies, viewCurrency, currencyFromBucket } = get();
      if (filters.bucket === bucket) {
        get().clearBucket();
        return;
      }
      // Bucket figures are per currency, so with several currencies the bar also picks its currency.
      if (currencies.length > 1 && viewCurrency && (filters.currency === null || currencyFromBucket)) {
        get().setFilters({ bucket, currency: viewCurrency });
        set({ currencyFromBucket: true });
      } else {
        get().setFilters({ bucket });
      }
    },

    clearBucket() {
      get().setFilters({ bucket: null, ...(get().currencyFromBucket ? { currency: null } : {}) });
    },

    setSort(sort, dir) {
      get().setFilters({ sort, dir: dir ?? DEFAULT_DIR[sort] });
    },

    setViewCurrency(currency) {
      set({ viewCurrency: currency });
    },
  };
}

/** Moving through the queue: the selected customer and which ones are expanded. */
function selectionActions(set: Set, get: Get): Pick<BoardState, 'select' | 'move' | 'toggleExpanded'> {
  return {
    select(index) {
      const { total } = get();
      set({ selected: Math.max(-1, Math.min(index, total - 1)) });
    },

    move(delta) {
      const { selected, total } = get();
      if (total === 0) return;
      const next = selected < 0 ? 0 : Math.max(0, Math.min(total - 1, selected + delta));
      set({ selected: next });
    },

    toggleExpanded(customerId, open) {
      const expanded = { ...get().expanded };
      const isOpen = expanded[customerId] === true;
      const want = open ?? !isOpen;
      if (want === isOpen) return;
      if (want) expanded[customerId] = true;
      else delete expanded[customerId];
      set({ expanded });
    },
  };
}

/** The demo company: create, reset or remove it, then reload. */
function demoActions(set: Set, get: Get): Pick<BoardState, 'demo'> {
  return {
    async demo(action) {
      set({ demoBusy: action, error: null });
      try {
        if (action === 'create') await call('demo.create');
        else if (action === 'reset') await call('demo.reset');
        else await call('demo.remove');
        set({ demoBusy: null, expanded: {}, selected: -1 });
        await get().load();
      } catch (err) {
        set({ demoBusy: null, error: (err as Error).message });
      }
    },
  };
}

export const useBoardStore = create<BoardState>((set, get) => ({
  ...INITIAL,
  ...fetchActions(set, get),
  ...filterActions(set, get),
  ...selectionActions(set, get),
  ...demoActions(set, get),
}));
