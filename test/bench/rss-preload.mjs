// Preload for the registry-pass benchmark: `node --import ./test/bench/rss-preload.mjs …`.
// On exit, appends "<pid> <maxRSS KB> <user CPU µs> <system CPU µs>" to the file named by
// DEPVERIFY_BENCH_RSS_FILE. process.resourceUsage().maxRSS is the peak resident set size of this
// process in kilobytes.
import { appendFileSync } from 'node:fs';

const file = process.env.DEPVERIFY_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      appendFileSync(file, `${process.pid} ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
    } catch {
      // measurement only; never change the measured program's behaviour
    }
  });
}
