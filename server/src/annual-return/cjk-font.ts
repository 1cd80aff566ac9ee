import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Paths of the CJK fonts embedded in PDFs: Noto Sans Hans (SIL OFL 1.1) from the npm package
 * `@embedpdf/fonts-sc`, so the server needs no system fonts and works offline. pdfkit embeds only
 * the glyphs a document uses, so a form stays small although the font files are ~8 MB.
 */
export function cjkFontPaths(): { regular: string; bold: string } {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  const fonts = join(dirname(entry), '..', 'fonts');
  return { regular: join(fonts, 'NotoSansHans-Regular.otf'), bold: join(fonts, 'NotoSansHans-Bold.otf') };
}
