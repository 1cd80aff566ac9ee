import { splitLines } from '../text.ts';

/** One registry value as `reg export` wrote it, decoded. */
export type RegValue =
  | { type: 'sz'; data: string }
  | { type: 'expand_sz'; data: string }
  | { type: 'multi_sz'; data: string[] }
  | { type: 'dword'; data: number }
  | { type: 'qword'; data: bigint }
  | { type: 'binary'; data: Uint8Array; rawType: number };

/** What a .reg file says to do, in order: create/update a key's values, delete a key, delete a value. */
export type RegOperation =
  | { op: 'key'; path: string; values: Array<{ name: string; value: RegValue | null }> }
  | { op: 'delete-key'; path: string };

const ROOTS: Record<string, string> = {
  hkey_local_machine: 'HKLM',
  hklm: 'HKLM',
  hkey_current_user: 'HKCU',
  hkcu: 'HKCU',
  hkey_users: 'HKU',
  hku: 'HKU',
  hkey_classes_root: 'HKCR',
  hkcr: 'HKCR',
  hkey_current_config: 'HKCC',
  hkcc: 'HKCC',
};

/** `HKEY_LOCAL_MACHINE\SOFTWARE\x` -> `HKLM\SOFTWARE\x` (root abbreviated, no trailing backslash). */
export function normaliseKeyPath(path: string): string {
  const parts = path.trim().replace(/\\+$/, '').split('\\');
  const root = ROOTS[parts[0]!.toLowerCase()];
  if (root) parts[0] = root;
  return parts.join('\\');
}

function hexBytes(text: string): Uint8Array {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const out = new Uint8Array(parts.length);
  parts.forEach((p, i) => {
    out[i] = Number.parseInt(p, 16) & 0xff;
  });
  return out;
}

function utf16z(bytes: Uint8Array): string {
  const even = bytes.length - (bytes.length % 2);
  return new TextDecoder('utf-16le').decode(bytes.subarray(0, even));
}

/** Decodes `hex(N):` data by registry type number (REG_EXPAND_SZ 2, REG_MULTI_SZ 7, REG_QWORD 11...). */
function decodeHex(rawType: number, bytes: Uint8Array): RegValue {
  switch (rawType) {
    case 1:
      return { type: 'sz', data: utf16z(bytes).replace(/\0+$/, '') };
    case 2:
      return { type: 'expand_sz', data: utf16z(bytes).replace(/\0+$/, '') };
    case 7:
      return { type: 'multi_sz', data: utf16z(bytes).replace(/\0+$/, '').split('\0').filter((s) => s !== '') };
    case 4:
      if (bytes.length >= 4) return { type: 'dword', data: new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) };
      break;
    case 11:
      if (bytes.length >= 8) return { type: 'qword', data: new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) };
      break;
  }
  return { type: 'binary', data: bytes, rawType };
}

/**
 * Reads a quoted .reg string starting at `text[start] === '"'`: `\\` is a backslash, `\"` a quote.
 * Returns the string and the index after the closing quote, or undefined when it never closes.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
    } else if (c === '"') {
      return { value: out, end: i + 1 };
    } else {
      out += c;
    }
  }
  return undefined;
}

function parseData(data: string): RegValue | null | undefined {
  const d = data.trim();
  if (d === '-') return null;
  if (d.startsWith('"')) {
    const q = readQuoted(d, 0);
    return q ? { type: 'sz', data: q.value } : undefined;
  }
  const dword = /^dword:([0-9a-f]{1,8})$/i.exec(d);
  if (dword) return { type: 'dword', data: Number.parseInt(dword[1]!, 16) };
  const hex = /^hex(?:\(([0-9a-f]+)\))?:(.*)$/is.exec(d);
  if (hex) {
    const rawType = hex[1] === undefined ? 3 : Number.parseInt(hex[1], 16);
    return decodeHex(rawType, hexBytes(hex[2]!));
  }
  return undefined;
}

/**
 * Joins physical lines into logical ones: a hex list continues on the next line after a trailing
 * `\`; a quoted string with an embedded line break (regedit writes REG_SZ newlines raw) continues
 * until its closing quote.
 */
function logicalLines(text: string): string[] {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const out: string[] = [];
  let pending: string | undefined;
  for (const raw of lines) {
    if (pending !== undefined) {
      pending = pending.endsWith('\\') && !/"$/.test(pending) ? pending.slice(0, -1) + raw.trimStart() : `${pending}\n${raw}`;
    } else {
      pending = raw;
    }
    if (isComplete(pending)) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push(pending);
  return out;
}

/** True when a logical line needs no continuation: not ending in a hex `\`, no unclosed string. */
function isComplete(line: string): boolean {
  const t = line.trimEnd();
  if (!t.startsWith('"') && !t.startsWith('@')) return true;
  const eq = valueSeparator(t);
  if (eq < 0) return true;
  const data = t.slice(eq + 1).trimStart();
  if (data.startsWith('"')) return readQuoted(data, 0) !== undefined;
  return !/\\$/.test(data);
}

/** Index of the `=` after the value name (`@` or a quoted name), or -1. */
function valueSeparator(line: string): number {
  if (line.startsWith('@')) return line.indexOf('=');
  const name = readQuoted(line, 0);
  if (!name) return -1;
  const rest = line.slice(name.end);
  const m = /^\s*=/.exec(rest);
  return m ? name.end + m[0].length - 1 : -1;
}

/**
 * Parses a `reg export` / regedit file ("Windows Registry Editor Version 5.00" or "REGEDIT4"):
 * `[KEY]` and `[-KEY]` headers, `"name"="string"`, `@=` default values, `dword:`, `hex:`,
 * `hex(N):` with `\` continuations, `"name"=-` deletions, `;` comments. Lines it cannot read are
 * skipped: a damaged line must not lose the rest of the file.
 */
export function parseRegFile(text: string): RegOperation[] {
  const ops: RegOperation[] = [];
  let current: Extract<RegOperation, { op: 'key' }> | undefined;
  for (const line of logicalLines(text)) {
    const t = line.trim();
    if (t === '' || t.startsWith(';') || /^(Windows Registry Editor Version|REGEDIT4)/i.test(t)) continue;
    const header = /^\[(-?)(.+)\]$/.exec(t);
    if (header) {
      const path = normaliseKeyPath(header[2]!);
      if (header[1] === '-') {
        ops.push({ op: 'delete-key', path });
        current = undefined;
      } else {
        current = { op: 'key', path, values: [] };
        ops.push(current);
      }
      continue;
    }
    if (!current) continue;
    const eq = valueSeparator(line.trimStart());
    if (eq < 0) continue;
    const body = line.trimStart();
    const name = body.startsWith('@') ? '' : readQuoted(body, 0)!.value;
    const value = parseData(body.slice(eq + 1));
    if (value !== undefined) current.values.push({ name, value });
  }
  return ops;
}
