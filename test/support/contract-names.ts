// The build inlines the contract's method and event names into the preload (contract-names.config.ts);
// under vitest the preload's modules run unbundled, so a test imports this first to provide the
// same names as globals.
import { EVENT_NAMES, METHOD_NAMES } from '../../src/shared/contract';

Object.assign(globalThis, { __SETTLE_METHODS__: METHOD_NAMES, __SETTLE_EVENTS__: EVENT_NAMES });
