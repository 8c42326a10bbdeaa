/**
 * Invented German place names for Musterstadt (no real Bottrop names), with umlauts and ß so
 * that encodings are exercised.
 */

/** Stadtbezirke: code, name, role (latitude band). */
export const STADTBEZIRKE = [
  { id: "01", name: "Musterstadt-Mitte", band: "middle" },
  { id: "02", name: "Musterstadt-Süd", band: "south" },
  { id: "03", name: "Heidekirchen", band: "north" },
] as const;

/** Statistical district names per Stadtbezirk, assigned north → south, west → east. */
export const STATBEZ_NAMES: Record<string, readonly string[]> = {
  "01": ["Lindenhöhe", "Am Rosenhügel", "Mühlenfeld", "Altmarkt", "Eichenhof", "Straßenkamp", "Schlägelberg"],
  "02": ["Grünau-Nord", "Zechenfeld", "Hüttenbruch", "Grünau-Süd", "Schachtheide", "Kanalufer"],
  "03": ["Bärenbruch", "Hohe Heide", "Heidekirchen-Dorf", "Fuchsröttgen"],
};

/** Names of the life-situation-based quarters (the poverty pocket is named after its district). */
export const QUARTER_NAMES: readonly string[] = [
  "Zechensiedlung Glückauf",
  "Kanalviertel",
  "Mühlenbachaue",
  "Hüttenblick",
  "Sonnenhöfe",
  "Rosengärten",
  "Dorfkern Heidekirchen",
  "Brückenkamp",
  "Am Förderturm",
  "Lerchenweg",
];
