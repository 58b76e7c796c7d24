// Scoring: scoreAll over 100k open invoices (the pure model), and a full rescore of a stored
// 100k-invoice company (read from SQLite, score, build the board index, persist the scores).
import { scoreAll } from '../src/main/core/scoring/model';
import { sampleLedger } from '../test/fixtures/sample-ledger';
import { median, time } from './stats';

export interface ScoreResult {
  invoices: number;
  medianMs: number;
  minMs: number;
}

export function benchScore(invoices: number, runs = 7): ScoreResult {
  const ledger = sampleLedger(invoices);
  scoreAll(ledger.open, ledger.facts, ledger.asOf); // warm-up: JIT and first-touch memory
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(time(() => scoreAll(ledger.open, ledger.facts, ledger.asOf)));
  return { invoices: ledger.open.length, medianMs: median(samples), minMs: Math.min(...samples) };
}
