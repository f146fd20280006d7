// Report building blocks that run in Node and in browsers: SVG charts, HTML tables and the
// self-contained HTML report. Writing a report to disk (Node only) is in ./write.js.

export * from './svg.js';
export * from './concentration.js';
export * from './histogram.js';
export * from './pta.js';
export * from './forest.js';
export * from './strategies.js';
export * from './table.js';
export * from './html.js';
export * from './vpc.js';
