/**
 * Draws the app icons (PNG 192/512, and a maskable 512 whose mark stays inside the 80% safe zone)
 * and the header's brand mark (a 56 px WebP, 28 CSS px at 2×: app/globals.css carries it inline as
 * a `data:` URI, which app-css.test.ts keeps equal to this file) from one SVG with sharp. The output in public/icons is committed; run again after a design change:
 *   node apps/web/scripts/make-icons.mjs
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
mkdirSync(out, { recursive: true });

/** A gold "K" (drawn as shapes, so no font is needed) over the black, yellow and red of the flag. */
function svg({ maskable }) {
  const scale = maskable ? 0.7 : 0.9;
  const offset = (512 - 512 * scale) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${maskable ? 0 : 96}" fill="#0b0b0f"/>
  <g transform="translate(${offset} ${offset}) scale(${scale})">
    <rect x="96" y="400" width="107" height="24" fill="#f4f4f6"/>
    <rect x="203" y="400" width="106" height="24" fill="#fcdc04"/>
    <rect x="309" y="400" width="107" height="24" fill="#e0302a"/>
    <rect x="136" y="88" width="64" height="280" fill="#fcdc04"/>
    <polygon points="200,228 310,88 388,88 262,244" fill="#fcdc04"/>
    <polygon points="236,212 290,196 396,368 318,368" fill="#fcdc04"/>
  </g>
</svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
];
for (const icon of icons) {
  await sharp(Buffer.from(svg(icon)))
    .resize(icon.size, icon.size)
    .png({ compressionLevel: 9 })
    .toFile(path.join(out, icon.file));
  console.log(`wrote ${icon.file}`);
}

// The brand mark: a raster, so the first frame draws it without building an SVG document.
const mark = await sharp(Buffer.from(svg({ maskable: false })))
  .resize(56, 56)
  .webp({ quality: 90 })
  .toBuffer();
writeFileSync(path.join(out, 'mark-56.webp'), mark);
console.log(`wrote mark-56.webp (${mark.length} bytes): data:image/webp;base64,${mark.toString('base64')}`);
