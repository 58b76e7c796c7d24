// The scoring feature as other folders see it: the pure model (scores, tiers, overrides applied),
// stored scores and overrides, and the scores.* handlers. Import scoring through this file only.
export { applyOverride, scoreAll, tierForScore, toScoreView, unknownCustomerFacts } from './model';
export { deleteOverridesOf, getOverride } from './overrides.repo';
export { deleteScoresOf, getScoresForCustomer, replaceScores, scoresAsOf } from './scores.repo';
export { customerView, scoringHandlers } from './scoring.handlers';
