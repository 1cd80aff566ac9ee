/**
 * Runs CPU-bound steps (parsing a report: a millisecond or more each) in slices of the event loop
 * instead of all at once. When a thousand agents report together, parsing every frame the moment
 * it arrives keeps the event loop busy for seconds, and the database's answers wait behind it: the
 * ingest pipeline would sit idle until everything is parsed, then the database would work while
 * the process waits. Sliced, the two overlap — between slices the loop delivers database results,
 * so batches run while later frames are parsed. (What follows a parse, the report's hash check,
 * runs right after its slice, so each report reaches the pipeline as soon as it is parsed.)
 *
 * At rest a task runs on the next turn of the event loop (no timer, no added delay to speak of).
 */

/** Longest run of tasks before the event loop gets a turn. */
export const SLICE_MS = 4;

interface Task {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class CpuSlices {
  readonly #sliceMs: number;
  #tasks: Task[] = [];
  #next = 0;
  #scheduled = false;

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Runs `fn` in a coming slice, after the tasks queued before it; resolves with its result. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#tasks.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#slice());
  }

  #slice(): void {
    this.#scheduled = false;
    const started = performance.now();
    while (this.#next < this.#tasks.length && performance.now() - started < this.#sliceMs) {
      const task = this.#tasks[this.#next]!;
      this.#tasks[this.#next++] = undefined as unknown as Task; // let the frame be collected
      try {
        task.resolve(task.run());
      } catch (error) {
        task.reject(error);
      }
    }
    if (this.#next === this.#tasks.length) {
      this.#tasks = [];
      this.#next = 0;
    } else this.#schedule();
  }
}

/** The slices of this process's event loop, shared by every agent socket and the pipeline. */
export const cpuSlices = new CpuSlices();
