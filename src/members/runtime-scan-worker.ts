/** The worker thread of runtime-scan.ts: scans what it is sent, answers by id. */
import { parentPort } from 'node:worker_threads';
import { scanRuntimeFile } from './runtime-names.js';

parentPort?.on('message', ({ id, files }: { id: number; files: [string, string][] }) => {
  try {
    parentPort!.postMessage({ id, files: files.map(([p, text]) => [p, scanRuntimeFile(p, text)]) });
  } catch (err) {
    parentPort!.postMessage({ id, error: String(err) });
  }
});
