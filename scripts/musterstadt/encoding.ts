/**
 * Windows-1252 encoding (Node's TextEncoder only writes UTF-8), used for `.dbf` files and the
 * Windows-1252 statistics CSV.
 */

/** Unicode code points of the bytes 0x80–0x9F in Windows-1252 (undefined bytes: -1). */
const CP1252_HIGH: readonly number[] = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

const REVERSE = new Map<number, number>(CP1252_HIGH.map((cp, i) => [cp, 0x80 + i] as [number, number]).filter(([cp]) => cp >= 0));

/**
 * Encodes a string as Windows-1252 bytes; throws on characters the code page cannot hold.
 *
 * @example
 * encodeWindows1252("Straße"); // Buffer <53 74 72 61 df 65>
 * encodeWindows1252("€");      // Buffer <80>
 */
export function encodeWindows1252(s: string): Buffer {
  const out = Buffer.alloc(s.length);
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    let b: number | undefined;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) b = cp;
    else b = REVERSE.get(cp);
    if (b === undefined) throw new Error(`character ${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase()}) is not in Windows-1252`);
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Decodes Windows-1252 bytes to a string (the inverse of {@link encodeWindows1252}).
 *
 * @example
 * decodeWindows1252(Buffer.from([0x4d, 0xfc, 0x68, 0x6c, 0x65])); // "Mühle"
 */
export function decodeWindows1252(buf: Uint8Array): string {
  let s = "";
  for (const b of buf) {
    if (b >= 0x80 && b <= 0x9f) {
      const cp = CP1252_HIGH[b - 0x80];
      s += cp >= 0 ? String.fromCodePoint(cp) : "\ufffd";
    } else s += String.fromCharCode(b);
  }
  return s;
}
