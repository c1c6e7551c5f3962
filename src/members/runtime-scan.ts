/**
 * The runtime-names scan (runtime-names.ts) of a tarball's JavaScript, on a worker thread: a cold
 * member check reads tens of megabytes of it, and the answers are needed only after the compiler
 * has checked the project (runtime-defined.ts), so the scan runs beside the downloads and the
 * compiler instead of before them. One worker per loader, ended by `close()`; it keeps the
 * process alive only while it owes an answer. Where no worker can run (the sources run
 * untranspiled, as under vitest, or the thread fails), the same scan runs here; a scan that fails
 * there too answers undefined (not known), as a package whose JavaScript was never read.
 */
import { Worker } from 'node:worker_threads';
import { type RuntimeFile, type RuntimeNames, scanRuntimeFile } from './runtime-names.js';

/** A tarball's JavaScript files: path in the package, text. */
export type ScriptFiles = [string, string][];

interface Answer {
  id: number;
  files?: [string, RuntimeFile][];
  error?: string;
}

export function scanHere(files: ScriptFiles): RuntimeNames {
  const runtime: RuntimeNames = { files: {} };
  for (const [p, text] of files) runtime.files[p] = scanRuntimeFile(p, text);
  return runtime;
}

function scanHereOrNone(files: ScriptFiles): RuntimeNames | undefined {
  try {
    return scanHere(files);
  } catch {
    return undefined;
  }
}

const WORKER_URL = new URL('./runtime-scan-worker.js', import.meta.url);

export class RuntimeScanner {
  #worker: Worker | undefined;
  #failed = !import.meta.url.endsWith('.js');
  #next = 0;
  readonly #waiting = new Map<number, { files: ScriptFiles; resolve(r: RuntimeNames | undefined): void }>();

  /** Whether a thread is up (scans go to it). */
  get threaded(): boolean {
    return this.#worker !== undefined;
  }

  scan(files: ScriptFiles): Promise<RuntimeNames | undefined> {
    const worker = this.#start();
    // In place: after the I/O already waiting (the other downloads), as the thread's answer would be.
    if (!worker) return new Promise((resolve) => setImmediate(() => resolve(scanHereOrNone(files))));
    const id = this.#next++;
    // Held open while it owes an answer, and not a moment longer.
    worker.ref();
    return new Promise((resolve) => {
      this.#waiting.set(id, { files, resolve });
      worker.postMessage({ id, files });
    });
  }

  /** Ends the worker (answering what it still holds here). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failed = true;
    this.#answerHere();
    await worker?.terminate();
  }

  #start(): Worker | undefined {
    if (this.#worker || this.#failed) return this.#worker;
    try {
      // The caller's Node flags (an `--input-type`, a loader) are not the thread's: it runs one built file.
      const worker = new Worker(WORKER_URL, { execArgv: [], name: 'depverify runtime scan' });
      worker.on('message', (answer: Answer) => {
        const waiting = this.#waiting.get(answer.id);
        if (!waiting) return;
        this.#waiting.delete(answer.id);
        if (this.#waiting.size === 0) worker.unref();
        waiting.resolve(answer.files ? { files: Object.fromEntries(answer.files) } : scanHereOrNone(waiting.files));
      });
      // A thread that fails (or cannot load) takes nothing with it: what it held is scanned here.
      worker.on('error', () => this.#fail(worker));
      worker.on('exit', () => this.#fail(worker));
      this.#worker = worker;
    } catch {
      this.#failed = true;
    }
    return this.#worker;
  }

  #fail(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failed = true;
    this.#answerHere();
  }

  #answerHere(): void {
    for (const [id, { files, resolve }] of this.#waiting) {
      this.#waiting.delete(id);
      resolve(scanHereOrNone(files));
    }
  }
}
