import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MessageType, parseAgentFrame } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { cpuSlices } from './cpu-slices.ts';

/**
 * Parsing agent frames: the protocol's validation and, for full reports, the inventory hash —
 * together the largest cost of a report to the server (a 300-entry report: ~1 ms and ~0.7 ms).
 * Large frames are parsed in worker threads, so the main thread is left to the sockets and the
 * database; small ones (hello, most deltas) in a slice of the main thread's event loop
 * (cpu-slices.ts), where the hop to a worker would cost more than it saves. When no worker is
 * available (one failed, or none could start) everything is parsed on the main thread: slower,
 * never wrong.
 */

/** A frame as parsed, with the hash of a full report's inventory as the server computes it. */
export interface ParsedFrame {
  parsed: ReturnType<typeof parseAgentFrame>;
  /** inventoryHash of a valid `inventory.full`'s inventory; the pipeline checks it against the announced one. */
  hash?: string;
}

/** Parses one frame's text (the same work in a worker thread and on the main thread). */
export function parseFrameText(text: string): ParsedFrame {
  const parsed = parseAgentFrame(text);
  if (parsed.kind === 'message' && parsed.message.type === MessageType.InventoryFull) return { parsed, hash: inventoryHash(parsed.message.inventory) };
  return { parsed };
}

/** Frames from this size go to a worker thread: a full report of a few dozen entries and more. */
export const WORKER_MIN_BYTES = 16 * 1024;

/** Workers by default: one per core, at most four (the main thread has little left to do by then). */
export const defaultWorkerCount = () => Math.min(4, availableParallelism());

export interface FrameParserLog {
  warn(object: object, message: string): void;
}

interface Pending {
  bytes: Uint8Array;
  resolve: (frame: ParsedFrame) => void;
}

/** The worker thread's module. */
const WORKER_ENTRY = new URL('./frame-worker.ts', import.meta.url);

/**
 * Worker threads run TypeScript through tsx, like the server itself: the worker registers tsx's
 * loader (resolved here, so it is found whatever the process's working directory), then imports
 * its module.
 */
function startWorker(entry: URL): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}

export class FrameParser {
  readonly #log: FrameParserLog;
  readonly #entry: URL;
  readonly #workers: Array<{ worker: Worker; pending: Map<number, Pending> }> = [];
  #next = 0;
  #id = 0;

  /** `workers`: how many threads (0 = parse on the main thread); `entry`: their module (tests). */
  constructor(log: FrameParserLog, options: { workers?: number; entry?: URL } = {}) {
    this.#log = log;
    this.#entry = options.entry ?? WORKER_ENTRY;
    for (let i = 0; i < (options.workers ?? defaultWorkerCount()); i++) this.#add();
  }

  /** Workers running now. */
  get workers(): number {
    return this.#workers.length;
  }

  /** Parses a frame (its bytes; the caller's buffer is copied, not taken). */
  parse(data: Uint8Array): Promise<ParsedFrame> {
    if (data.byteLength < WORKER_MIN_BYTES || this.#workers.length === 0) return this.#parseHere(data);
    const slot = this.#workers[this.#next++ % this.#workers.length]!;
    const id = this.#id++;
    const bytes = new Uint8Array(data); // a copy: ws hands out views of buffers it reuses
    return new Promise<ParsedFrame>((resolve) => {
      // Held by the event loop while it has frames to answer, not while idle (it must not keep a
      // stopping process alive).
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { bytes, resolve });
      slot.worker.postMessage({ id, bytes });
    });
  }

  /** Stops the workers; frames still waiting are parsed here. */
  async close(): Promise<void> {
    const slots = this.#workers.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    for (const slot of slots) this.#rescue(slot.pending);
  }

  #parseHere(data: Uint8Array): Promise<ParsedFrame> {
    return cpuSlices.run(() => parseFrameText(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')));
  }

  /** Frames a lost worker held: parsed on the main thread, in their order. */
  #rescue(pending: Map<number, Pending>): void {
    for (const { bytes, resolve } of pending.values()) void this.#parseHere(bytes).then(resolve);
    pending.clear();
  }

  #add(): void {
    let worker: Worker;
    try {
      worker = startWorker(this.#entry);
    } catch (error) {
      this.#log.warn({ err: error }, 'frame parser: cannot start a worker thread; parsing on the main thread');
      return;
    }
    const slot = { worker, pending: new Map<number, Pending>() };
    worker.on('message', ({ id, ...frame }: ParsedFrame & { id: number }) => {
      const waiting = slot.pending.get(id);
      slot.pending.delete(id);
      if (slot.pending.size === 0) worker.unref();
      waiting?.resolve(frame);
    });
    // A worker that fails is dropped, not restarted (a failure to load would repeat forever); its
    // frames and every later one are parsed by the others or here.
    const lose = (error?: unknown) => {
      const index = this.#workers.indexOf(slot);
      if (index < 0) return;
      this.#workers.splice(index, 1);
      this.#log.warn({ err: error, workersLeft: this.#workers.length }, 'frame parser: a worker thread failed; its frames are parsed elsewhere');
      this.#rescue(slot.pending);
    };
    worker.on('error', lose);
    worker.on('exit', () => lose());
    worker.unref();
    this.#workers.push(slot);
  }
}
