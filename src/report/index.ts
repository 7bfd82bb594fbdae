// Public API of the reports (terminal text, JSON, HTML, progress): src/cli imports them through this file.
export { loadReportAssets } from './assets.js';
export { renderHtml } from './html.js';
export { renderJson } from './json.js';
export { ProgressBar } from './progress.js';
export { renderText, useColor } from './text.js';
