// Streaming, mergeable summaries of per-subject exposure metrics (re-exports only).

export {
  EMPTY_MOMENTS, welford, momentsOf, mergeMoments, variance, standardDeviation, momentsToJSON, momentsFromJSON,
  type Moments, type MomentsJSON,
} from './moments.js';
export {
  DDSketch, sketchOf, mergeSketches, DEFAULT_ALPHA, DEFAULT_MAX_BUCKETS,
  type SketchOptions, type DDSketchJSON, type StoreJSON,
} from './sketch.js';
export {
  checkWindow, emptyWindowCounts, windowCounts, sameWindow, mergeWindowCounts, windowFractions,
  windowCountsToJSON, windowCountsFromJSON,
  type Window, type WindowCounts, type WindowFractions, type WindowCountsJSON,
} from './window.js';
export {
  MetricSummary, summarize, merge, mergeAll, SUMMARY_VERSION, foldedQuantileWarnings, failedSubjectWarnings,
  type MetricSummaryJSON, type SummaryReport,
} from './summary.js';
