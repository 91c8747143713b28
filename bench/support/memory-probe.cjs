'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script */
// Preloaded into the benchmarked CLI process (`node -r memory-probe.cjs ...`): samples
// process.memoryUsage() every 100 ms and, at exit, writes the sample with the highest RSS (with
// its heap / external / array-buffer split) to BENCH_MEMORY_PROBE_FILE, to tell where peak memory
// goes without changing the product.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_MEMORY_PROBE_FILE;
if (file) {
  let peak = { ...process.memoryUsage(), at: Date.now() };
  const started = Date.now();
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peak.rss) peak = { ...usage, at: Date.now() };
  };
  setInterval(sample, 100).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, JSON.stringify({ ...peak, atMs: peak.at - started }));
  });
}
