/**
 * Text decoding for German data files: UTF-8 (with or without BOM) versus Windows-1252,
 * detected from the bytes when nobody says which.
 */

/** Result of {@link decodeText}. */
export interface DecodedText {
  text: string;
  /** WHATWG encoding name actually used, e.g. `"utf-8"` or `"windows-1252"`. */
  encoding: string;
  /** Whether a UTF-8 byte-order mark was present (and removed). */
  bom: boolean;
  /** Whether the encoding was detected from the bytes (true) or given (false). */
  detected: boolean;
}

/**
 * Normalises an encoding label from a `.cpg` file or a configuration (`"UTF-8"`, `"65001"`,
 * `"ANSI 1252"`, `"CP1252"`, `"ISO-8859-1"`, `"latin1"`, …) to a WHATWG label `TextDecoder`
 * accepts; returns `undefined` when it does not know the label.
 *
 * @example
 * normalizeEncoding("ANSI 1252"); // "windows-1252"
 * normalizeEncoding("65001");     // "utf-8"
 */
export function normalizeEncoding(label: string): string | undefined {
  const l = label.trim().toLowerCase().replace(/^ansi[ _-]?/, "").replace(/[\s_]/g, "-");
  if (!l) return undefined;
  if (l === "utf-8" || l === "utf8" || l === "65001") return "utf-8";
  if (/^(cp-?|windows-?)?1252$/.test(l) || l === "ansi") return "windows-1252";
  if (/^(iso-?8859-?1|88591|latin-?1|28591)$/.test(l)) return "windows-1252"; // WHATWG maps latin1 to 1252
  if (/^(iso-?8859-?15|885915|latin-?9|28605)$/.test(l)) return "iso-8859-15";
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return undefined;
  }
}

// Windows-1252 0x80–0x9F (Node 20's TextDecoder("windows-1252") decodes these as C1 controls).
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/**
 * A decoding function for a WHATWG encoding name; Windows-1252 is decoded correctly also in
 * the range 0x80–0x9F (€, „, –, …), where Node 20's own TextDecoder falls back to Latin-1.
 *
 * @example
 * textDecoder("windows-1252")(Uint8Array.from([0x96])); // "–"
 */
export function textDecoder(encoding: string): (bytes: Uint8Array) => string {
  const enc = new TextDecoder(encoding).encoding;
  if (enc !== "windows-1252") {
    const d = new TextDecoder(enc);
    return (b) => d.decode(b);
  }
  return (b) => {
    let out = "";
    let start = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c >= 0x80 && c <= 0x9f) {
        if (i > start) out += Buffer.from(b.buffer, b.byteOffset + start, i - start).toString("latin1");
        out += CP1252_HIGH[c - 0x80];
        start = i + 1;
      }
    }
    if (start === 0) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
    if (start < b.length) out += Buffer.from(b.buffer, b.byteOffset + start, b.length - start).toString("latin1");
    return out;
  };
}

/**
 * Whether the bytes are valid UTF-8.
 *
 * @example
 * isValidUtf8(Buffer.from([0xfc])); // false (a Windows-1252 "ü")
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes bytes as text: with the given encoding, else UTF-8 when the bytes are valid UTF-8,
 * else Windows-1252. A UTF-8 BOM is always removed.
 *
 * @example
 * decodeText(Buffer.from([0x44, 0xfc, 0x6e])).text; // "Dün" (detected windows-1252)
 */
export function decodeText(bytes: Uint8Array, encoding?: string): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  if (encoding) {
    const enc = normalizeEncoding(encoding);
    if (!enc) throw new Error(`invalid encoding: ${JSON.stringify(encoding)} (expected e.g. "UTF-8" or "windows-1252")`);
    return { text: textDecoder(enc)(body), encoding: enc, bom, detected: false };
  }
  if (bom || isValidUtf8(body)) return { text: new TextDecoder("utf-8").decode(body), encoding: "utf-8", bom, detected: true };
  return { text: textDecoder("windows-1252")(body), encoding: "windows-1252", bom, detected: true };
}

const MOJIBAKE_RE = /Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]/;

/**
 * Whether a text looks like UTF-8 decoded as Windows-1252 ("DÃ¼nnwald" for "Dünnwald").
 *
 * @example
 * looksLikeMojibake("DÃ¼nnwald"); // true
 * looksLikeMojibake("Dünnwald");  // false
 */
export function looksLikeMojibake(text: string): boolean {
  return MOJIBAKE_RE.test(text);
}
