/**
 * Pure text work for Windows capture: reading `reg query` output, writing .reg files, keeping
 * secrets out of exports. No process or file access here, so all of it is tested on Linux.
 */

/** One value as `reg query` prints it: `    Name    REG_TYPE    data`. */
export interface RegQueryValue {
  /** '' for the default value (printed localised: "(Default)", "(默认)", ...). */
  name: string;
  type: string;
  data: string;
}

export interface RegQueryKey {
  /** Full key path as printed (`HKEY_LOCAL_MACHINE\...`). */
  path: string;
  values: RegQueryValue[];
}

const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;
const ROOT_NAMES = /^(HKEY_LOCAL_MACHINE|HKEY_USERS|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG|HKLM|HKU|HKCU|HKCR|HKCC)(\\|$)/i;
/** The default value's name as reg.exe prints it in a few display languages. */
const DEFAULT_VALUE_NAME = /^\((default|默认|默認|預設|standard|par défaut|predeterminado|predefinito|по умолчанию)\)$/i;

/**
 * Reads `reg query KEY [/s] [/v NAME]` output: each key line starts at column 0 with a root name,
 * each value line is indented by four spaces. Key lines without values (a subkey listing) appear
 * with no values. "End of search" and other trailer lines are ignored.
 */
export function parseRegQuery(output: string): RegQueryKey[] {
  const keys: RegQueryKey[] = [];
  let current: RegQueryKey | undefined;
  for (const raw of output.split(/\r?\n|\r/)) {
    const line = raw.replace(/\r$/, '');
    if (ROOT_NAMES.test(line)) {
      current = { path: line.trimEnd(), values: [] };
      keys.push(current);
      continue;
    }
    const value = VALUE_LINE.exec(line);
    if (value && current) {
      const name = DEFAULT_VALUE_NAME.test(value[1]!) ? '' : value[1]!;
      current.values.push({ name, type: value[2]!, data: value[3] ?? '' });
    }
  }
  return keys;
}

/**
 * The loaded user hives from `reg query HKU`: their SIDs, without the `_Classes` hives and without
 * `.DEFAULT`, which is LocalSystem's hive again under another name (S-1-5-18 is listed anyway).
 */
export function parseLoadedUserHives(output: string): string[] {
  const hives: string[] = [];
  for (const key of parseRegQuery(output)) {
    const match = /^(?:HKEY_USERS|HKU)\\([^\\]+)$/i.exec(key.path);
    if (match && !/_classes$/i.test(match[1]!) && match[1]!.toLowerCase() !== '.default') hives.push(match[1]!);
  }
  return hives;
}

function hexList(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(',');
}

function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(Math.floor(clean.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** One value as a .reg line, in the notation `reg export` uses for its type. */
export function formatRegValue(value: RegQueryValue): string {
  const name = value.name === '' ? '@' : quote(value.name);
  switch (value.type) {
    case 'REG_SZ':
      return `${name}=${quote(value.data)}`;
    case 'REG_EXPAND_SZ':
      return `${name}=hex(2):${hexList(utf16z(value.data))}`;
    case 'REG_MULTI_SZ': {
      // reg query prints the strings joined by a literal "\0".
      const items = value.data === '' ? [] : value.data.split('\\0').filter((s) => s !== '');
      return `${name}=hex(7):${hexList(concat([...items.map(utf16z), new Uint8Array(2)]))}`;
    }
    case 'REG_DWORD':
      return `${name}=dword:${(Number.parseInt(value.data, 16) >>> 0).toString(16).padStart(8, '0')}`;
    case 'REG_QWORD': {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(value.data.startsWith('0x') ? value.data : `0x${value.data || '0'}`), true);
      return `${name}=hex(b):${hexList(bytes)}`;
    }
    case 'REG_BINARY':
      return `${name}=hex:${hexList(hexBytes(value.data))}`;
    case 'REG_NONE':
      return `${name}=hex(0):${hexList(hexBytes(value.data))}`;
    default:
      // Rare types (REG_LINK, resource lists) carry nothing interpretation reads.
      return `; ${value.name} ${value.type} not converted`;
  }
}

/** A .reg file ("Windows Registry Editor Version 5.00") holding the given keys and values. */
export function formatRegFile(keys: RegQueryKey[]): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const key of keys) {
    lines.push(`[${key.path}]`, ...key.values.map(formatRegValue), '');
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The values of one key (its subkeys are left out) from `reg query KEY` output, as a .reg file,
 * without secret values. Undefined when the output does not show the key.
 */
export function regQueryKeyToRegFile(output: string, secretNames: readonly string[]): string | undefined {
  const key = parseRegQuery(output)[0];
  if (!key) return undefined;
  const secrets = new Set(secretNames.map((n) => n.toLowerCase()));
  return formatRegFile([{ path: key.path, values: key.values.filter((v) => !secrets.has(v.name.toLowerCase())) }]);
}

/**
 * Removes the named values from a .reg export (including the continuation lines of a long hex
 * value), leaving everything else byte-for-byte. The product key must never reach a bundle.
 */
export function removeRegValues(regText: string, names: readonly string[]): string {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const lines = regText.split(/(?<=\n)/);
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const body = line.replace(/\r?\n$/, '');
    if (skipping) {
      skipping = body.endsWith('\\');
      continue;
    }
    const name = /^"((?:[^"\\]|\\.)*)"\s*=/.exec(body)?.[1]?.replace(/\\(.)/g, '$1');
    if (name !== undefined && wanted.has(name.toLowerCase())) {
      // Only a hex list continues on the next line; a quoted string ending in "\\" does not.
      skipping = body.endsWith('\\') && !/=\s*"/.test(body);
      continue;
    }
    out.push(line);
  }
  return out.join('');
}
