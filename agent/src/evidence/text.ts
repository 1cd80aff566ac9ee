const utf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');
const encoder = new TextEncoder();

/**
 * Decodes a text file of a bundle: a BOM decides (reg.exe and Windows PowerShell write UTF-16LE
 * with a BOM, PowerShell 7 and Notepad may write UTF-8 with one); without a BOM, UTF-16LE is
 * recognised by its zero high bytes (reg export piped through tools that drop the BOM), anything
 * else is read as UTF-8. The BOM never appears in the result.
 */
export function decodeBundleText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8.decode(bytes.subarray(3));
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return utf16le.decode(bytes);
  return utf8.decode(bytes);
}

/** UTF-8 bytes of a string. */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** UTF-16LE with a BOM, the way `reg export` writes .reg files. */
export function encodeUtf16leWithBom(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + i * 2] = code & 0xff;
    out[3 + i * 2] = code >> 8;
  }
  return out;
}
