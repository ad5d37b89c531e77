// decktape (a dev dependency, used only by `make bench`) depends on puppeteer, which would
// download its own Chrome during `npm ci`. The benchmark runs decktape on the same Chromium as
// remarkdeck (`--chrome-path`), so the download is skipped.
module.exports = { skipDownload: true };
