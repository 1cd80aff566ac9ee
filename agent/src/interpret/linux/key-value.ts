import { splitLines } from '../text.ts';

/**
 * Parses a shell-style assignment file: os-release, lsb-release, os-version's key lines.
 * Rules from os-release(5): `KEY=value`, values optionally in double or single quotes, inside
 * double quotes `\` escapes `$ " \ \``; unquoted values may use `\` escapes too; `#` lines are
 * comments. Lines that are not assignments are ignored (real files carry junk). Last key wins,
 * as a shell sourcing the file would.
 */
export function parseKeyValueFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    out.set(m[1]!, unquoteShellValue(m[2]!));
  }
  return out;
}

/** Reads a shell value (concatenated quoted parts, like `"a"'b'c`), dropping a trailing comment. */
export function unquoteShellValue(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c === '"') {
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < value.length && '$"\\`'.includes(value[i + 1]!)) i++;
        out += value[i];
        i++;
      }
      i++;
    } else if (c === "'") {
      i++;
      while (i < value.length && value[i] !== "'") out += value[i++];
      i++;
    } else if (c === '\\' && i + 1 < value.length) {
      out += value[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      // A shell would end the word here; hand-edited files on real machines write
      // `VERSION=V10 SP1` unquoted and mean all of it, so keep going unless a comment starts.
      if (/^\s+#/.test(value.slice(i))) break;
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

/**
 * Parses an INI file (`.kyinfo`, `/etc/os-version`): `[section]` headers, `key=value` or
 * `key: value` lines, `#`/`;` comments. Keys are case-folded; section names too.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (m) current.set(m[1]!.trim().toLowerCase(), stripQuotes(m[2]!.trim()));
  }
  return sections;
}

function stripQuotes(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
