/** Evidence bundle I/O: the DESIGN.md bundle format on disk, in a .tar.gz and in memory. */
export { EVIDENCE_FORMAT, type EvidenceBundle, type EvidenceManifest } from './bundle.ts';
export { type BundleEntries, EvidenceError, decodeEvidenceBundle, encodeEvidenceBundle, isSafeBundlePath } from './entries.ts';
export { isTarGzPath, readBundleEntries, readEvidenceBundle, writeEvidenceBundle } from './io.ts';
export { bundleSha256 } from './hash.ts';
export { decodeBundleText } from './text.ts';
