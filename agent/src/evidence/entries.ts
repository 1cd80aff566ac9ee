import { z } from 'zod';
import { EVIDENCE_FORMAT, type EvidenceBundle, type EvidenceManifest } from './bundle.ts';
import { decodeBundleText, encodeUtf16leWithBom, encodeUtf8 } from './text.ts';

/**
 * A bundle as raw files: bundle-relative '/'-separated path ('manifest.json',
 * 'files/etc/os-release', 'registry/hklm.reg') to the exact bytes. This is what lies on disk or in
 * the .tar.gz and what the bundle's SHA-256 covers; `EvidenceBundle` is its decoded view.
 */
export type BundleEntries = Map<string, Uint8Array>;

/** The bundle is unusable as a whole (no manifest, wrong format); parts that fail are recorded instead. */
export class EvidenceError extends Error {}

const ManifestSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  platform: z.enum(['linux', 'windows']),
  capturedAt: z.string().min(1),
  hostname: z.string(),
  agentVersion: z.string(),
  errors: z.array(z.object({ source: z.string(), message: z.string() })).optional(),
});

/**
 * Checks a bundle-relative path: '/'-separated, relative, no '.' or '..' segments. Bundles come from
 * other machines, so a path must never reach outside the bundle when written out.
 */
export function isSafeBundlePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Turns raw bundle files into the in-memory bundle interpretation reads. */
export function decodeEvidenceBundle(entries: BundleEntries): EvidenceBundle {
  const manifestBytes = entries.get('manifest.json');
  if (!manifestBytes) throw new EvidenceError('not an evidence bundle: manifest.json is missing');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(decodeBundleText(manifestBytes));
  } catch (err) {
    throw new EvidenceError(`manifest.json is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidenceError(`manifest.json is not a ${EVIDENCE_FORMAT} manifest (${issue?.path.join('.') || 'root'}: ${issue?.message})`);
  }
  const manifest: EvidenceManifest = { ...parsed.data, errors: [...(parsed.data.errors ?? [])] };
  const bundle: EvidenceBundle = { manifest, files: new Map(), registry: [], wmi: new Map(), commands: new Map() };

  for (const path of [...entries.keys()].sort()) {
    const bytes = entries.get(path)!;
    if (path.startsWith('files/')) {
      bundle.files.set(path.slice('files/'.length), bytes);
    } else if (/^registry\/[^/]+\.reg$/i.test(path)) {
      bundle.registry.push(decodeBundleText(bytes));
    } else if (/^wmi\/[^/]+\.json$/i.test(path)) {
      const className = path.slice('wmi/'.length, -'.json'.length);
      try {
        bundle.wmi.set(className, JSON.parse(decodeBundleText(bytes)));
      } catch (err) {
        // One broken WMI dump must not hide the rest of the evidence: record it like a capture error.
        manifest.errors!.push({ source: path, message: `not valid JSON: ${(err as Error).message}` });
      }
    } else if (/^commands\/[^/]+\.txt$/i.test(path)) {
      bundle.commands.set(path.slice('commands/'.length, -'.txt'.length), decodeBundleText(bytes));
    }
  }
  if (manifest.errors!.length === 0 && parsed.data.errors === undefined) delete manifest.errors;
  return bundle;
}

/**
 * Turns an in-memory bundle into raw files. Registry text is written as UTF-16LE with a BOM (as
 * reg.exe does), everything else as UTF-8; decoding the result gives the same bundle back.
 */
export function encodeEvidenceBundle(bundle: EvidenceBundle): BundleEntries {
  const entries: BundleEntries = new Map();
  entries.set('manifest.json', encodeUtf8(`${JSON.stringify(bundle.manifest, null, 2)}\n`));
  for (const [path, bytes] of bundle.files) entries.set(`files/${path.replace(/^\/+/, '')}`, bytes);
  bundle.registry.forEach((text, i) => entries.set(`registry/${String(i + 1).padStart(3, '0')}.reg`, encodeUtf16leWithBom(text)));
  for (const [className, value] of bundle.wmi) entries.set(`wmi/${className}.json`, encodeUtf8(JSON.stringify(value, null, 2)));
  for (const [name, text] of bundle.commands) entries.set(`commands/${name}.txt`, encodeUtf8(text));
  for (const path of entries.keys()) {
    if (!isSafeBundlePath(path)) throw new EvidenceError(`bundle path ${JSON.stringify(path)} is not a safe relative path`);
  }
  return entries;
}
