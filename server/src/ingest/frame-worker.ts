/**
 * Worker thread of the frame parser (frame-parser.ts): validates agent frames with the protocol's
 * `parseAgentFrame` and hashes full reports, off the main thread. Answers `{ id, parsed, hash }`.
 */
import { parentPort } from 'node:worker_threads';
import { parseFrameText } from './frame-parser.ts';

parentPort!.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  parentPort!.postMessage({ id, ...parseFrameText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) });
});
