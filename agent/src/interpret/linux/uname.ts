import { nonEmpty } from '../text.ts';

/** Debian and vendor architecture names -> uname machine names (what `os.arch` reports). */
const ARCH_ALIASES: Record<string, string> = {
  amd64: 'x86_64',
  x86_64: 'x86_64',
  x64: 'x86_64',
  arm64: 'aarch64',
  aarch64: 'aarch64',
  loongarch64: 'loongarch64',
  loong64: 'loongarch64',
  mips64el: 'mips64',
  mips64: 'mips64',
  i386: 'i686',
  i486: 'i686',
  i586: 'i686',
  i686: 'i686',
  x86: 'i686',
  armhf: 'armv7l',
  armv7l: 'armv7l',
  sw_64: 'sw_64',
  sw64: 'sw_64',
};

/** Maps any architecture spelling (dpkg, .kyinfo, rpm, uname) to the uname machine name. */
export function normaliseArch(value: string | undefined): string | undefined {
  const v = nonEmpty(value)?.toLowerCase();
  if (!v) return undefined;
  return ARCH_ALIASES[v] ?? v;
}

/** `uname -srm` -> kernel release and machine ("Linux 6.1.0-18-amd64 x86_64"). */
export function parseUname(text: string | undefined): { kernel?: string; arch?: string } {
  const words = nonEmpty(text)?.split(/\s+/) ?? [];
  if (words.length >= 3) return { kernel: words[1], arch: normaliseArch(words[words.length - 1]) };
  if (words.length === 2) return { kernel: words[1] };
  return {};
}
