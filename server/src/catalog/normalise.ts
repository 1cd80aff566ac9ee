/**
 * Keys for counting the same program across machines: "7-Zip 23.01 (x64)" and "7-Zip 22.01
 * (32-bit)" are one program to review. Pure string work.
 */

const ARCH_TAGS = /\((x64|x86|64-bit|32-bit|64 ?位|32 ?位|amd64|arm64|x86_64|i386|[^)]*\bx86\b[^)]*|[^)]*\bx64\b[^)]*)\)/gi;
const LANGUAGE_SUFFIX = /\s+-\s+([a-z]{2}-[a-z]{2}|chinese \(simplified\)|简体中文|english)\s*$/i;
/** Dotted version numbers only: a bare "365" or "2019" is part of the name. */
const VERSION_TOKEN = /(^|\s)v?\d+(\.\d+)+([a-z]\d*)?(?=\s|$)/gi;

/** Lower case, architecture and language tags, version numbers and extra spaces removed. */
export function normaliseSoftwareName(name: string): string {
  let key = name.normalize('NFKC').toLowerCase();
  key = key.replace(ARCH_TAGS, ' ').replace(LANGUAGE_SUFFIX, ' ');
  key = key.replace(/\(\s*[\d.]+\s*\)/g, ' ');
  key = key.replace(VERSION_TOKEN, ' ');
  key = key.replace(/\s+/g, ' ').trim();
  return key || name.trim().toLowerCase();
}

/** Lower case, company suffixes dropped: "Igor Pavlov" and "igor pavlov " are one publisher. */
export function normalisePublisher(publisher: string | null | undefined): string {
  if (!publisher) return '';
  return publisher
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[,.]?\s*(inc|ltd|llc|gmbh|corp|corporation|co|company|incorporated)\.?(?=\s|$|,)/g, '')
    .replace(/[,.]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
