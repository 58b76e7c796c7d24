// The `define` entries that inline the contract's method and event names into the preload
// (src/preload/contract-names.d.ts): one list, the contract's, for every build and test run.
import { EVENT_NAMES, METHOD_NAMES } from './src/shared/contract';

export const contractNames = {
  __SETTLE_METHODS__: JSON.stringify(METHOD_NAMES),
  __SETTLE_EVENTS__: JSON.stringify(EVENT_NAMES),
};
