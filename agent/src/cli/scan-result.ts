import { readFile } from 'node:fs/promises';
import type { Inventory } from '@zhengban/protocol/agent';
import { isNotFound } from '../state/atomic-file.ts';

/**
 * What a scan process (`internal-scan`) hands the running agent, as one JSON file in the state
 * directory: the inventory, already checked against the protocol's schema in the scan process,
 * or why there is none.
 */
export type ScanResultFile =
  | { ok: true; inventory: Inventory; evidenceSha256: string }
  | { ok: false; exitCode: number; message: string };

/**
 * Reads a scan process's result; null when there is none (the process died before writing it).
 * The file is written atomically by this same program, so only its outline is checked here.
 */
export async function readScanResult(path: string): Promise<ScanResultFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const result = JSON.parse(text) as Partial<Record<string, unknown>>;
  if (result.ok === true && typeof result.evidenceSha256 === 'string' && Array.isArray((result.inventory as Inventory | undefined)?.software)) {
    return result as ScanResultFile;
  }
  if (result.ok === false && typeof result.message === 'string' && typeof result.exitCode === 'number') return result as ScanResultFile;
  throw new Error(`${path} is not a scan result`);
}
