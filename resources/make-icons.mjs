// Draws the app icon: a green rounded square with two ledger lines and a check mark ("settled").
// Writes resources/icon.svg and resources/icon.png (512×512, RGBA) from the same geometry.
// The PNG is rasterised with signed distance fields (1 px anti-aliasing) and encoded with zlib,
// so no image library is needed. Run: node resources/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const here = dirname(fileURLToPath(import.meta.url));

const tile = { x: 16, y: 16, w: 480, h: 480, r: 108, top: [46, 143, 108], bottom: [22, 92, 71] };
const lines = [
  { from: [144, 150], to: [368, 150], width: 28, color: [255, 255, 255], alpha: 0.42 },
  { from: [144, 210], to: [296, 210], width: 28, color: [255, 255, 255], alpha: 0.42 },
];
const check = { points: [[150, 306], [228, 382], [370, 240]], width: 50, color: [255, 255, 255], alpha: 1 };

// ---- SVG ----
const hex = (rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hex(tile.top)}"/>
      <stop offset="1" stop-color="${hex(tile.bottom)}"/>
    </linearGradient>
  </defs>
  <rect x="${tile.x}" y="${tile.y}" width="${tile.w}" height="${tile.h}" rx="${tile.r}" fill="url(#tile)"/>
  <g fill="none" stroke-linecap="round" stroke-linejoin="round">
${lines
  .map(
    (l) =>
      `    <path d="M${l.from.join(' ')}H${l.to[0]}" stroke="${hex(l.color)}" stroke-opacity="${l.alpha}" stroke-width="${l.width}"/>`,
  )
  .join('\n')}
    <path d="M${check.points.map((p) => p.join(' ')).join('L')}" stroke="${hex(check.color)}" stroke-width="${check.width}"/>
  </g>
</svg>
`;

// ---- raster ----
function roundedRectDistance(px, py, { x, y, w, h, r }) {
  const qx = Math.abs(px - (x + w / 2)) - (w / 2 - r);
  const qy = Math.abs(py - (y + h / 2)) - (h / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function segmentDistance(px, py, [ax, ay], [bx, by], width) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) - width / 2;
}

const coverage = (d) => Math.max(0, Math.min(1, 0.5 - d));

const pixels = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5;
    const py = y + 0.5;
    const t = (py - tile.y) / tile.h;
    // Premultiplied accumulation, painted back to front.
    let a = coverage(roundedRectDistance(px, py, tile));
    let rgb = tile.top.map((c, i) => (c + (tile.bottom[i] - c) * t) * a);
    const paint = (color, alpha) => {
      rgb = rgb.map((c, i) => color[i] * alpha + c * (1 - alpha));
      a = alpha + a * (1 - alpha);
    };
    for (const l of lines) paint(l.color, l.alpha * coverage(segmentDistance(px, py, l.from, l.to, l.width)));
    const [p0, p1, p2] = check.points;
    const d = Math.min(segmentDistance(px, py, p0, p1, check.width), segmentDistance(px, py, p1, p2, check.width));
    paint(check.color, check.alpha * coverage(d));

    const o = (y * SIZE + x) * 4;
    for (let i = 0; i < 3; i++) pixels[o + i] = a > 0 ? Math.round(Math.min(255, rgb[i] / a)) : 0;
    pixels[o + 3] = Math.round(a * 255);
  }
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method choice, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(join(here, 'icon.svg'), svg);
writeFileSync(join(here, 'icon.png'), png(SIZE, SIZE, pixels));
console.log(`wrote ${join(here, 'icon.svg')} and ${join(here, 'icon.png')}`);

// ---- tray icons ----
// The same check mark, small: macOS template images (black with alpha; the system tints them)
// as trayTemplate.png / @2x, colour PNGs for Windows (16 px) and Linux (32 px). The "due" state
// adds a dot in the top-right corner (amber in colour, black in templates).
const dot = { c: [420, 92], r: 92, color: [232, 142, 26] };

function trayPixels(size, { template, due }) {
  const s = size / SIZE;
  const out = Buffer.alloc(size * size * 4);
  // The check drawn bigger than in the app icon, so it reads at 16 px.
  const w = template ? 64 : check.width;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / s;
      const py = (y + 0.5) / s;
      const cov = (d) => Math.max(0, Math.min(1, 0.5 - d * s));
      let a = 0;
      let rgb = [0, 0, 0];
      const paint = (color, alpha) => {
        rgb = rgb.map((c, i) => color[i] * alpha + c * (1 - alpha));
        a = alpha + a * (1 - alpha);
      };
      if (!template) {
        const t = (py - tile.y) / tile.h;
        paint(
          tile.top.map((c, i) => c + (tile.bottom[i] - c) * t),
          cov(roundedRectDistance(px, py, tile)),
        );
      }
      const [p0, p1, p2] = check.points;
      const d = Math.min(segmentDistance(px, py, p0, p1, w), segmentDistance(px, py, p1, p2, w));
      paint(template ? [0, 0, 0] : check.color, cov(d));
      if (due) paint(template ? [0, 0, 0] : dot.color, cov(Math.hypot(px - dot.c[0], py - dot.c[1]) - dot.r));
      const o = (y * size + x) * 4;
      for (let i = 0; i < 3; i++) out[o + i] = Math.round(Math.min(255, rgb[i]));
      out[o + 3] = Math.round(a * 255);
    }
  }
  return out;
}

for (const due of [false, true]) {
  const base = due ? 'trayDueTemplate' : 'trayTemplate';
  writeFileSync(join(here, `${base}.png`), png(16, 16, trayPixels(16, { template: true, due })));
  writeFileSync(join(here, `${base}@2x.png`), png(32, 32, trayPixels(32, { template: true, due })));
  for (const size of [16, 32]) {
    writeFileSync(join(here, `${due ? 'tray-due' : 'tray'}-${size}.png`), png(size, size, trayPixels(size, { template: false, due })));
  }
}
