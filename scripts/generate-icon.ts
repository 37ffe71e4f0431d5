import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Draws the app icon (build/icon.png, 512 x 512, and build/icon.svg) with no
 * download and no image library: an accent-blue rounded square with a white
 * person mark. electron-builder derives every platform's icon from the PNG.
 * Run: npx tsx scripts/generate-icon.ts
 */
const SIZE = 512;
const ACCENT: readonly [number, number, number] = [37, 99, 235];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Coverage of pixel (x, y) by the shapes, 0..1 (4x4 supersampling for smooth edges). */
function paint(x: number, y: number): { bg: number; fg: number } {
  let bg = 0;
  let fg = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      const r = 96;
      const cx = Math.min(Math.max(px, 32 + r), SIZE - 32 - r);
      const cy = Math.min(Math.max(py, 32 + r), SIZE - 32 - r);
      if ((px - cx) ** 2 + (py - cy) ** 2 <= r * r) bg++;
      const head = (px - 256) ** 2 + (py - 200) ** 2 <= 72 ** 2;
      const body = py >= 300 && py <= 400 && ((px - 256) / 130) ** 2 + ((py - 400) / 100) ** 2 <= 1;
      if (head || body) fg++;
    }
  }
  return { bg: bg / 16, fg: fg / 16 };
}

export function iconPng(): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) {
      const { bg, fg } = paint(x, y);
      const o = 1 + x * 4;
      for (let c = 0; c < 3; c++) row[o + c] = Math.round((ACCENT[c] as number) * (1 - fg) + 255 * fg);
      row[o + 3] = Math.round(255 * bg);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect x="32" y="32" width="448" height="448" rx="96" fill="rgb(${ACCENT.join(',')})"/>
  <circle cx="256" cy="200" r="72" fill="#fff"/>
  <path d="M126 400a130 100 0 0 1 260 0z" fill="#fff"/>
</svg>
`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = join(import.meta.dirname, '..', 'build');
  writeFileSync(join(dir, 'icon.png'), iconPng());
  writeFileSync(join(dir, 'icon.svg'), ICON_SVG);
}
