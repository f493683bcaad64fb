#!/usr/bin/env node
// Draws build/icon.png (512×512, RGBA) without any image library: a dark rounded square, an amber
// diamond (the app's ◆ mark) over a six-step timeline whose first steps are done. build/icon.svg is the
// same drawing as a vector. electron-builder derives .icns/.ico from the PNG.
// Run: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const S = 512;
const px = new Uint8ClampedArray(S * S * 4);

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const BG_TOP = hex('#1f2733');
const BG_BOTTOM = hex('#11161d');
const AMBER = hex('#f5a524');
const RED = hex('#ef4444');
const DONE = hex('#34d399');
const TODO = hex('#3b4656');

/** Coverage of a shape given a signed distance (negative inside), 1px anti-aliasing. */
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));

function blend(x, y, rgb, a) {
  if (a <= 0) return;
  const i = (y * S + x) * 4;
  const ea = px[i + 3] / 255;
  const oa = a + ea * (1 - a);
  for (let c = 0; c < 3; c++) px[i + c] = (rgb[c] * a + px[i + c] * ea * (1 - a)) / (oa || 1);
  px[i + 3] = oa * 255;
}

function roundedRect(cx, cy, hw, hh, r, x, y) {
  const qx = Math.abs(x - cx) - (hw - r);
  const qy = Math.abs(y - cy) - (hh - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

const diamond = (cx, cy, r, x, y) => (Math.abs(x - cx) + Math.abs(y - cy) - r) / Math.SQRT2;
const circle = (cx, cy, r, x, y) => Math.hypot(x - cx, y - cy) - r;

for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    const X = x + 0.5;
    const Y = y + 0.5;
    // Background: rounded square with a vertical gradient (macOS-style margin of 32px).
    const t = y / S;
    const bg = BG_TOP.map((v, c) => v + (BG_BOTTOM[c] - v) * t);
    blend(x, y, bg, cover(roundedRect(256, 256, 224, 224, 96, X, Y)));
    // Timeline: six phases, the first three done (green), the line between them.
    blend(x, y, TODO, cover(roundedRect(256, 392, 150, 5, 5, X, Y)));
    blend(x, y, DONE, cover(roundedRect(166, 392, 60, 5, 5, X, Y)));
    for (let k = 0; k < 6; k++) {
      const cx = 106 + k * 60;
      blend(x, y, k < 3 ? DONE : k === 3 ? AMBER : TODO, cover(circle(cx, 392, k === 3 ? 17 : 13, X, Y)));
    }
    // The mark: an amber diamond with a red core (the incident).
    blend(x, y, AMBER, cover(diamond(256, 206, 122, X, Y)));
    blend(x, y, BG_BOTTOM, cover(diamond(256, 206, 70, X, Y)));
    blend(x, y, RED, cover(diamond(256, 206, 40, X, Y)));
  }
}

// PNG encoding: signature, IHDR, one IDAT (filter 0 per row), IEND.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
  raw[y * (S * 4 + 1)] = 0;
  Buffer.from(px.buffer, y * S * 4, S * 4).copy(raw, y * (S * 4 + 1) + 1);
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
