/**
 * Draws the extension icon, images/icon.png (128×128): a shield with a check mark, Shipshape's
 * "secure and in order". Pure geometry, 4×4 supersampled, written as a PNG with node:zlib; run
 * `npm run icon` after changing it and commit the image.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

const NAVY: Rgb = [22, 58, 100];
const TEAL: Rgb = [38, 166, 154];
const WHITE: Rgb = [255, 255, 255];

/** The shield outline: flat top with rounded shoulders, sides curving to a point at the bottom. */
function shield(inset: number): Point[] {
  const points: Point[] = [];
  const top = 10 + inset;
  const left = 18 + inset;
  const right = SIZE - 18 - inset;
  const bottom = SIZE - 8 - inset;
  points.push([left, top + 14], [SIZE / 2, top], [right, top + 14]);
  // Each side: a quadratic curve from the shoulder down to the point.
  for (let step = 0; step <= 24; step++) {
    const t = step / 24;
    const x = (1 - t) * (1 - t) * right + 2 * (1 - t) * t * right + t * t * (SIZE / 2);
    const y = (1 - t) * (1 - t) * (top + 14) + 2 * (1 - t) * t * (bottom - 30) + t * t * bottom;
    points.push([x, y]);
  }
  for (let step = 24; step >= 0; step--) {
    const t = step / 24;
    const x = (1 - t) * (1 - t) * left + 2 * (1 - t) * t * left + t * t * (SIZE / 2);
    const y = (1 - t) * (1 - t) * (top + 14) + 2 * (1 - t) * t * (bottom - 30) + t * t * bottom;
    points.push([x, y]);
  }
  return points;
}

function inside(polygon: readonly Point[], x: number, y: number): boolean {
  let crossings = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) crossings = !crossings;
  }
  return crossings;
}

/** Distance from a point to a segment, for the check mark's strokes. */
function distanceToSegment(x: number, y: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

const OUTER = shield(0);
const INNER = shield(7);
const CHECK: Point[] = [
  [40, 66],
  [58, 84],
  [90, 48],
];

/** The colour at one sample point, or undefined outside the shield (transparent). */
function colourAt(x: number, y: number): Rgb | undefined {
  if (!inside(OUTER, x, y)) return undefined;
  if (!inside(INNER, x, y)) return TEAL;
  const onCheck = distanceToSegment(x, y, CHECK[0] ?? [0, 0], CHECK[1] ?? [0, 0]) < 7 || distanceToSegment(x, y, CHECK[1] ?? [0, 0], CHECK[2] ?? [0, 0]) < 7;
  return onCheck ? WHITE : NAVY;
}

function render(): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0: none
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const offset = 1 + px * 4;
      if (covered > 0) {
        row[offset] = Math.round(r / covered);
        row[offset + 1] = Math.round(g / covered);
        row[offset + 2] = Math.round(b / covered);
      }
      row[offset + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function iconPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(render(), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (require.main === module) writeFileSync(join(__dirname, '..', 'images', 'icon.png'), iconPng());
