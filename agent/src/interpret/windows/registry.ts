import { type RegValue, normaliseKeyPath, parseRegFile } from './reg-file.ts';

interface KeyNode {
  /** Path as first written (case kept for display and for subkey names). */
  path: string;
  values: Map<string, { name: string; value: RegValue }>;
}

/**
 * All `registry/*.reg` files of a bundle merged into one view, like importing them in file-name
 * order into an empty hive: later files update earlier ones, `[-KEY]` removes a key and its
 * subkeys. Lookups are case-insensitive, as the registry is.
 */
export class RegistryView {
  private readonly keys = new Map<string, KeyNode>();

  constructor(texts: string[]) {
    for (const text of texts) {
      for (const op of parseRegFile(text)) {
        const lower = op.path.toLowerCase();
        if (op.op === 'delete-key') {
          for (const k of [...this.keys.keys()]) if (k === lower || k.startsWith(`${lower}\\`)) this.keys.delete(k);
          continue;
        }
        let node = this.keys.get(lower);
        if (!node) {
          node = { path: op.path, values: new Map() };
          this.keys.set(lower, node);
        }
        for (const { name, value } of op.values) {
          if (value === null) node.values.delete(name.toLowerCase());
          else node.values.set(name.toLowerCase(), { name, value });
        }
      }
    }
  }

  /** True when the registry evidence holds anything at all. */
  get isEmpty(): boolean {
    return this.keys.size === 0;
  }

  /** True when the key itself was exported (or any subkey of it). */
  hasKey(path: string): boolean {
    const lower = normaliseKeyPath(path).toLowerCase();
    if (this.keys.has(lower)) return true;
    for (const k of this.keys.keys()) if (k.startsWith(`${lower}\\`)) return true;
    return false;
  }

  /** The raw value, or undefined. `name` '' is the default value (`@`). */
  value(path: string, name: string): RegValue | undefined {
    return this.keys.get(normaliseKeyPath(path).toLowerCase())?.values.get(name.toLowerCase())?.value;
  }

  /** Value names of a key. */
  valueNames(path: string): string[] {
    return [...(this.keys.get(normaliseKeyPath(path).toLowerCase())?.values.values() ?? [])].map((v) => v.name);
  }

  /** A string value: REG_SZ / REG_EXPAND_SZ as written, REG_MULTI_SZ joined with commas, numbers as decimal text. */
  string(path: string, name: string): string | undefined {
    const v = this.value(path, name);
    if (!v) return undefined;
    switch (v.type) {
      case 'sz':
      case 'expand_sz':
        return v.data;
      case 'multi_sz':
        return v.data.join(',');
      case 'dword':
        return String(v.data);
      case 'qword':
        return v.data.toString();
      default:
        return undefined;
    }
  }

  /** A number value: REG_DWORD / REG_QWORD, or a REG_SZ holding digits (some installers write those). */
  number(path: string, name: string): number | undefined {
    const v = this.value(path, name);
    if (!v) return undefined;
    if (v.type === 'dword') return v.data;
    if (v.type === 'qword') return Number(v.data);
    if (v.type === 'sz' && /^\s*\d+\s*$/.test(v.data)) return Number(v.data);
    return undefined;
  }

  /** Direct subkey names of a key, in the case they were written, sorted. */
  subkeys(path: string): string[] {
    const prefix = `${normaliseKeyPath(path).toLowerCase()}\\`;
    const names = new Map<string, string>();
    for (const [lower, node] of this.keys) {
      if (!lower.startsWith(prefix)) continue;
      const rest = node.path.slice(prefix.length);
      const name = rest.split('\\')[0]!;
      if (name && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
    }
    return [...names.values()].sort((a, b) => a.localeCompare(b));
  }

  /** Every exported key path under a prefix (the prefix itself excluded), as written. */
  keysUnder(path: string): string[] {
    const prefix = `${normaliseKeyPath(path).toLowerCase()}\\`;
    return [...this.keys.entries()].filter(([k]) => k.startsWith(prefix)).map(([, n]) => n.path).sort();
  }
}
