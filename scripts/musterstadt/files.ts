/**
 * Renders a generated Musterstadt into the files cities deliver: shapefiles (Windows-1252
 * `.dbf`, ETRS89/UTM 32N `.prj`, `.cpg` only for some), German CSVs (UTF-8 with BOM and
 * Windows-1252, `;`, thousands separator), a print-layout XLSX, the dataset configuration
 * and a README. Every byte is a function of the model, so reruns are byte-identical.
 */
import ExcelJS from "exceljs";
import type { DatasetConfig } from "../../src/project/config-types";
import { AGE_BANDS, ageBandId } from "../../src/variables";
import { normalizeZip } from "../../src/export/xlsx";
import { encodeWindows1252 } from "./encoding";
import type { Geography } from "./layout";
import { PRJ_EPSG_25832, writePolygonShapefile, type DbfField, type ShapefileFiles } from "./shapefile-writer";
import type { CountRecord, StatisticsModel } from "./stats";
import { summarize, type Summary } from "./summary";

/** A file to write: path relative to the dataset folder (forward slashes) and its bytes. */
export interface OutputFile {
  path: string;
  data: Buffer;
}

/** Fixed timestamp written into XLSX metadata and zip entries (reproducible output). */
export const FIXED_DATE = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));
const DBF_DATE = { year: 2024, month: 12, day: 31 };
const VINTAGE = "2024";

/** Column headers of the population CSV → count variable ids. */
export const POPULATION_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["Einwohner insgesamt", "pop_total"],
  ...AGE_BANDS.map(([a, b]) => [b === null ? `${a} Jahre und älter` : `${a} bis unter ${b} Jahre`, ageBandId(a, b)] as const),
  ["mit Migrationshintergrund", "migback_total"],
  ["mit Migrationshintergrund 18 bis unter 65 Jahre", "migback_18_65"],
  ["Ausländer", "foreign_total"],
  ["Ausländer 15 bis unter 65 Jahre", "foreign_15_65"],
  ["Haushalte", "households"],
  ["Haushalte mit Kindern", "households_children"],
  ["Alleinerziehendenhaushalte", "single_parent_households"],
];

/** Merkmal names of the social CSV (long layout) → count variable ids. */
export const SOCIAL_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ["Bedarfsgemeinschaften (SGB II)", "sgb2_households"],
  ["Bedarfsgemeinschaften mit Kindern", "sgb2_households_children"],
  ["Personen in Bedarfsgemeinschaften", "sgb2_persons"],
  ["Kinder unter 15 Jahren in Bedarfsgemeinschaften", "sgb2_children_u15"],
  ["Alleinerziehende in Bedarfsgemeinschaften", "single_parent_sgb2"],
  ["Grundsicherung im Alter (SGB XII), 65 Jahre und älter", "sgb12_65plus"],
  ["Empfänger von Mindestsicherungsleistungen", "minsec_recipients"],
];

/** Two-row header of the labour market XLSX (joined with " ") → count variable ids. */
export const LABOUR_COLUMNS: ReadonlyArray<readonly [string, string, string]> = [
  ["Arbeitslose", "insgesamt", "unemployed"],
  ["Arbeitslose", "darunter Ausländer", "unemployed_foreign"],
];

/** File names inside the dataset folder. */
export const FILES = {
  bbg: "geometrie/baublockgruppen_2024.shp",
  statbez: "geometrie/statistische_bezirke_2024.shp",
  stbz: "geometrie/stadtbezirke_2024.shp",
  quartier: "geometrie/quartiere_2024.shp",
  population: "statistik/bevoelkerung_2019-2024.csv",
  social: "statistik/soziales_2019-2024.csv",
  labour: "statistik/arbeitsmarkt_2019-2024.xlsx",
} as const;

/**
 * German number format with `.` as thousands separator: `1234` → `"1.234"`.
 *
 * @example
 * formatThousands(116845); // "116.845"
 */
export function formatThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/**
 * German percentage with decimal comma: `0.2238` → `"22,4"`.
 *
 * @example
 * formatPercent(0.2238); // "22,4"
 */
export function formatPercent(x: number, digits = 1): string {
  return (100 * x).toFixed(digits).replace(".", ",");
}

function shapefileFiles(base: string, files: ShapefileFiles): OutputFile[] {
  const stem = base.replace(/\.shp$/, "");
  return Object.entries(files).map(([ext, data]) => ({ path: `${stem}.${ext}`, data }));
}

function nameWidth(names: string[]): number {
  return Math.max(30, ...names.map((s) => encodeWindows1252(s).length));
}

function geometryFiles(geo: Geography, stats: StatisticsModel): OutputFile[] {
  const out: OutputFile[] = [];
  const common = { prj: PRJ_EPSG_25832, encoding: "windows-1252" as const, date: DBF_DATE };
  const bbgFields: DbfField[] = [
    { name: "BBG_ID", type: "C", length: 7 },
    { name: "BBG_NAME", type: "C", length: nameWidth(geo.blockGroups.map((b) => b.name)) },
    { name: "STATBEZ_ID", type: "C", length: 4 },
  ];
  out.push(...shapefileFiles(FILES.bbg, writePolygonShapefile({
    ...common, cpg: "1252", languageDriverId: 0x57, fields: bbgFields,
    records: geo.blockGroups.map((b) => ({ geometry: b.geometry, attributes: { BBG_ID: b.id, BBG_NAME: b.name, STATBEZ_ID: b.statbezId } })),
  })));
  out.push(...shapefileFiles(FILES.statbez, writePolygonShapefile({
    ...common, cpg: "1252", languageDriverId: 0x57,
    fields: [
      { name: "STATBEZ_ID", type: "C", length: 4 },
      { name: "STATBEZ_NA", type: "C", length: nameWidth(geo.statbez.map((d) => d.name)) },
      { name: "STBZ_ID", type: "C", length: 2 },
    ],
    records: geo.statbez.map((d) => ({ geometry: d.geometry, attributes: { STATBEZ_ID: d.id, STATBEZ_NA: d.name, STBZ_ID: d.parentId! } })),
  })));
  // Stadtbezirke and Quartiere: no .cpg and no language driver id — loaders must detect the encoding
  out.push(...shapefileFiles(FILES.stbz, writePolygonShapefile({
    ...common,
    fields: [
      { name: "STBZ_ID", type: "C", length: 2 },
      { name: "STBZ_NAME", type: "C", length: nameWidth(geo.stadtbezirke.map((d) => d.name)) },
    ],
    records: geo.stadtbezirke.map((d) => ({ geometry: d.geometry, attributes: { STBZ_ID: d.id, STBZ_NAME: d.name } })),
  })));
  out.push(...shapefileFiles(FILES.quartier, writePolygonShapefile({
    ...common,
    fields: [
      { name: "QUARTIERID", type: "C", length: 3 },
      { name: "QNAME", type: "C", length: nameWidth(stats.quarters.map((q) => q.name)) },
    ],
    records: stats.quarters.map((q) => ({ geometry: q.geometry, attributes: { QUARTIERID: q.id, QNAME: q.name } })),
  })));
  return out;
}

function populationCsv(geo: Geography, stats: StatisticsModel): OutputFile {
  const lines = [["Baublockgruppe", "Jahr", ...POPULATION_COLUMNS.map(([h]) => h)].join(";")];
  for (const year of stats.years) {
    stats.counts[year].forEach((rec, i) => {
      lines.push([geo.blockGroups[i].id, String(year), ...POPULATION_COLUMNS.map(([, id]) => formatThousands(rec[id]))].join(";"));
    });
  }
  const text = lines.join("\r\n") + "\r\n";
  return { path: FILES.population, data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]) };
}

function socialCsv(geo: Geography, stats: StatisticsModel): OutputFile {
  const lines = ["Baublockgruppe;Jahr;Merkmal;Anzahl"];
  for (const year of stats.years) {
    stats.counts[year].forEach((rec, i) => {
      // no residents: official-statistics symbol "-" (nothing there) instead of a number
      const none = rec.pop_total === 0;
      for (const [label, id] of SOCIAL_VARIABLES) lines.push([geo.blockGroups[i].id, String(year), label, none ? "-" : String(rec[id])].join(";"));
    });
  }
  return { path: FILES.social, data: encodeWindows1252(lines.join("\r\n") + "\r\n") };
}

async function labourXlsx(geo: Geography, stats: StatisticsModel): Promise<OutputFile> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Musterstadt-Generator (scripts/generate-musterstadt.ts)";
  wb.lastModifiedBy = wb.creator;
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.lastPrinted = FIXED_DATE;
  for (const year of stats.years) {
    const ws = wb.addWorksheet(String(year), { pageSetup: { orientation: "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = [{ width: 34 }, { width: 14 }, { width: 20 }];
    ws.getCell("A1").value = `Arbeitslose in Musterstadt nach Baublockgruppen am 31.12.${year} (synthetische Beispieldaten)`;
    ws.getCell("A1").font = { bold: true, size: 12 };
    const h1 = ws.getRow(3), h2 = ws.getRow(4);
    h1.values = ["Baublockgruppe", ...LABOUR_COLUMNS.map(([a]) => a)];
    h2.values = ["Nr.", ...LABOUR_COLUMNS.map(([, b]) => b)];
    for (const row of [h1, h2]) row.eachCell((c) => {
      c.font = { bold: true };
      c.alignment = { horizontal: "center" };
      c.border = { top: { style: "thin" }, bottom: { style: "thin" } };
    });
    const recs = stats.counts[year];
    const addRow = (label: string, values: number[], bold = false) => {
      const row = ws.addRow([label, ...values]);
      row.getCell(1).numFmt = "@";
      for (let k = 2; k <= values.length + 1; k++) row.getCell(k).numFmt = "#,##0";
      if (bold) row.font = { bold: true };
    };
    const totalOf = (members: number[], id: string) => members.reduce((s, i) => s + recs[i][id], 0);
    for (const d of geo.statbez) {
      for (const i of d.members) addRow(geo.blockGroups[i].id, LABOUR_COLUMNS.map(([, , id]) => recs[i][id]));
      addRow(`Summe Statistischer Bezirk ${d.id}`, LABOUR_COLUMNS.map(([, , id]) => totalOf(d.members, id)), true);
    }
    addRow("Stadt insgesamt", LABOUR_COLUMNS.map(([, , id]) => totalOf(recs.map((_, i) => i), id)), true);
    ws.addRow([]);
    ws.addRow([`Quelle: Musterstadt – synthetische Beispieldaten (keine realen Personen), Stand 31.12.${year}`]);
    ws.views = [{ state: "frozen", ySplit: 4 }];
  }
  const raw = (await wb.xlsx.writeBuffer()) as unknown as Buffer;
  return { path: FILES.labour, data: await normalizeZip(Buffer.from(raw), FIXED_DATE) };
}

/**
 * The dataset configuration of Musterstadt (paths relative to `dataset.json`).
 *
 * @example
 * datasetConfig(20241231, [2019, 2020, 2021, 2022, 2023, 2024]).areaSystems.map((a) => a.id); // ["stbz", "statbez", "bbg", "quartier"]
 */
export function datasetConfig(seed: number, years: number[]): DatasetConfig {
  const labourSheets = years.map((year) => ({
    file: FILES.labour,
    areaSystem: "bbg",
    layout: "wide" as const,
    sheet: String(year),
    year,
    areaField: "Baublockgruppe Nr.",
    skipRows: 2,
    headerRows: 2,
    skipAreaPattern: "^(Summe|Stadt insgesamt|Quelle)",
    columns: Object.fromEntries(LABOUR_COLUMNS.map(([a, b, id]) => [`${a} ${b}`, id])),
  }));
  return {
    id: "musterstadt",
    name: "Musterstadt (synthetische Beispielstadt)",
    source: `Musterstadt – synthetische Beispieldaten (scripts/generate-musterstadt.ts, Seed ${seed}); keine realen Personen`,
    referenceDate: "12-31",
    years,
    referenceYear: years[years.length - 1],
    crs: "EPSG:25832",
    areaSystems: [
      { id: "stbz", label: "Stadtbezirke", kind: "administrative", file: FILES.stbz, idField: "STBZ_ID", nameField: "STBZ_NAME", vintage: VINTAGE },
      { id: "statbez", label: "Statistische Bezirke", kind: "statistical", file: FILES.statbez, idField: "STATBEZ_ID", nameField: "STATBEZ_NA", vintage: VINTAGE, parent: { system: "stbz", field: "STBZ_ID" } },
      { id: "bbg", label: "Baublockgruppen", kind: "building-block", file: FILES.bbg, idField: "BBG_ID", nameField: "BBG_NAME", vintage: VINTAGE, parent: { system: "statbez", field: "STATBEZ_ID" } },
      { id: "quartier", label: "Lebenslagenorientierte Quartiere", kind: "life-situation", file: FILES.quartier, idField: "QUARTIERID", nameField: "QNAME", vintage: VINTAGE },
    ],
    statistics: [
      {
        file: FILES.population, areaSystem: "bbg", layout: "wide", areaField: "Baublockgruppe", yearField: "Jahr", separator: ";",
        columns: Object.fromEntries(POPULATION_COLUMNS),
      },
      {
        file: FILES.social, areaSystem: "bbg", layout: "long", areaField: "Baublockgruppe", yearField: "Jahr", separator: ";",
        variableField: "Merkmal", valueField: "Anzahl", variables: Object.fromEntries(SOCIAL_VARIABLES),
      },
      ...labourSheets,
    ],
  };
}

const pct = (x: number) => `${formatPercent(x)} %`;

function readme(seed: number, geo: Geography, stats: StatisticsModel, s: Summary): string {
  const c = s.city;
  const crossing = stats.quarters.filter((q) => q.statbezIds.length >= 2).length;
  const pop = stats.counts[s.year];
  const empty = pop.filter((r) => r.pop_total === 0).length;
  const small = pop.filter((r) => r.pop_total > 0 && r.pop_total < 50).length;
  return `# Musterstadt – synthetische Beispieldaten

**Musterstadt is a fictional city. All data in this folder are synthetic (generated from a
seeded random model); they describe no real persons and no real place.** The city is shaped
like Bottrop (NRW): about ${formatThousands(Math.round(c.population / 1000) * 1000)} residents on about 100 km², elongated north–south with a
thinly populated rural north (Stadtbezirk Heidekirchen) and a dense, poorer, younger south
(old mining areas). Coordinates lie around Bottrop's real location in EPSG:25832, but all names
are invented. It is the project's default dataset (\`dataset.json\`).

## How it is generated

\`\`\`sh
npx tsx scripts/generate-musterstadt.ts            # writes data/musterstadt/ (seed ${seed})
npx tsx scripts/generate-musterstadt.ts --out DIR  # writes into DIR instead
npx tsx scripts/generate-musterstadt.ts --seed N   # another city of the same kind
\`\`\`

The generator (\`scripts/generate-musterstadt.ts\`, modules in \`scripts/musterstadt/\`) uses a
seeded PRNG (mulberry32) and no clock: rerunning it gives byte-identical files
(\`test/musterstadt.test.ts\` checks this). The XLSX is made reproducible by fixing the workbook's
created/modified dates and re-packing the zip with JSZip using a fixed entry timestamp
(exceljs would stamp every zip entry with the current time); the \`.dbf\` header date is fixed
to 2024-12-31. Steps: a seeded irregular outline (${(geo.blockGroups.reduce((a, b) => a + b.area, 0) / 1e6).toFixed(1).replace(".", ",")} km²) →
Voronoi tessellation (d3-delaunay) of ${geo.blockGroups.length} seeded points, denser in the south, clipped to the outline
(polygon-clipping) and rounded to 0.01 m with vertex snapping → statistical districts as
contiguous unions of block groups (k-means per Stadtbezirk + contiguity repair) → Stadtbezirke as
unions of statistical districts. Statistics: a latent deprivation score (north–south gradient +
smooth random field + noise) drives logistic rate models whose intercepts are calibrated in a
closed loop on the integer counts of ${s.year}; earlier years follow smooth citywide trends.

## Area systems (vintage 2024, EPSG:25832)

| System | File | Units | Id / name / parent fields | \`.cpg\` |
|---|---|---|---|---|
| Stadtbezirke (administrative) | \`${FILES.stbz}\` | ${geo.stadtbezirke.length} | \`STBZ_ID\` (\`"01"\`–\`"03"\`), \`STBZ_NAME\` | none |
| Statistische Bezirke (statistical) | \`${FILES.statbez}\` | ${geo.statbez.length} | \`STATBEZ_ID\` (4 digits, first 2 = Stadtbezirk), \`STATBEZ_NA\`, \`STBZ_ID\` | \`1252\` |
| Baublockgruppen (building-block) | \`${FILES.bbg}\` | ${geo.blockGroups.length} | \`BBG_ID\` (7 digits, first 4 = statistical district), \`BBG_NAME\`, \`STATBEZ_ID\` | \`1252\` |
| Lebenslagenorientierte Quartiere (life-situation) | \`${FILES.quartier}\` | ${stats.quarters.length} | \`QUARTIERID\` (\`"Q01"\`…), \`QNAME\` | none |

All \`.dbf\` files are Windows-1252 (umlauts and ß as single bytes). Stadtbezirke and Quartiere
ship **without** a \`.cpg\` and with language driver id 0, so loaders must detect the encoding.
\`.dbf\` field names are at most 10 characters (hence \`STATBEZ_NA\`, \`QUARTIERID\`). Each \`.prj\`
holds the ESRI WKT of ETRS89 / UTM zone 32N. Outer rings are clockwise, holes counter-clockwise.
The tessellations are exact: block groups, statistical districts and Stadtbezirke cover the same
area without gaps or overlaps; shared edges have identical vertices. The quarters are unions of
block groups drawn across district borders (${crossing} of ${stats.quarters.length} intersect two or more statistical
districts); they do not cover the whole city.

## Statistics (block groups, 31.12. of 2019–2024)

| File | Format | Content |
|---|---|---|
| \`${FILES.population}\` | CSV, UTF-8 with BOM, \`;\`, CRLF, thousands separator \`.\` (\`1.234\`), wide | residents, 20 age bands, migration background, foreigners, households |
| \`${FILES.social}\` | CSV, Windows-1252, \`;\`, CRLF, long (\`Baublockgruppe;Jahr;Merkmal;Anzahl\`) | SGB II, SGB XII, minimum security |
| \`${FILES.labour}\` | XLSX print layout: one sheet per year, title row, blank row, two-row header, subtotal rows \`Summe Statistischer Bezirk 0101\`, a \`Stadt insgesamt\` row and a source note | unemployed, foreign unemployed |

Every column and every \`Merkmal\` maps onto a count variable of \`src/variables.ts\` in
\`dataset.json\`. Area ids are text with leading zeros (in the XLSX the id column is a text
cell). Symbols: in the social file, block groups without residents (${empty} of them: industry,
forest) carry \`-\` ("nichts vorhanden", i.e. exactly nothing) instead of a number; nothing else
is suppressed. All values are counts, so no decimals occur. ${small} block groups have between 1 and 49 residents, to exercise small-number rules.

Counts are internally consistent: age bands sum to the residents; every variable is at most its
\`partOf\` whole; single-parent ≤ households with children ≤ households; children in SGB II
households ≤ children under 15; minimum-security recipients ≥ persons in SGB II households +
SGB XII recipients 65+.

## Targets and generated values (${s.year}, citywide, from summed counts)

| Indicator | Target (Bottrop-like) | Musterstadt |
|---|---|---|
| Residents | ≈ 117.000 (Bottrop 116.845) | ${formatThousands(c.population)} |
| Aged 65+ | 22,1 % | ${pct(c.share65plus)} |
| Migration background | 21,3 % | ${pct(c.migrationBackground)} |
| Unemployed per 100 residents 15–<65 | 6,5 % | ${pct(c.unemployment)} |
| SGB II households per 100 households | 11 % | ${pct(c.sgb2Households)} |
| Children <15 in SGB II households per 100 children <15 | 22,4 % | ${pct(c.childPoverty)} |
| Residents per household | ≈ 1,9 | ${c.personsPerHousehold.toFixed(2).replace(".", ",")} |
| Foreigners | – | ${pct(c.foreigners)} |
| Minimum-security recipients per 100 residents | – | ${pct(c.minimumSecurity)} |

Residents by year: ${s.populationByYear.map(([y, p]) => `${y}: ${formatThousands(p)}`).join(", ")}.

**Poverty pocket.** The quarter ${s.pocket.id} „${s.pocket.name}“ (cf. Bottrop's Batenbrock-Südwest)
has ${pct(s.pocket.childPoverty)} of its ${formatThousands(s.pocket.children)} children under 15 in SGB II households
(target ≈ 29 %), against ${pct(c.childPoverty)} citywide, while the statistical district that contains
most of it, ${s.pocketDistrict.id} ${s.pocketDistrict.name}, shows ${pct(s.pocketDistrict.childPoverty)} (${formatThousands(s.pocketDistrict.children)} children): the district average hides the pocket.
`;
}

/**
 * Renders every file of the dataset folder from a generated city.
 *
 * @example
 * const files = await renderFiles(20241231, geo, stats);
 * files.map((f) => f.path); // ["geometrie/baublockgruppen_2024.shp", …, "dataset.json", "README.md"]
 */
export async function renderFiles(seed: number, geo: Geography, stats: StatisticsModel): Promise<OutputFile[]> {
  const summary = summarize(geo, stats);
  return [
    ...geometryFiles(geo, stats),
    populationCsv(geo, stats),
    socialCsv(geo, stats),
    await labourXlsx(geo, stats),
    { path: "dataset.json", data: Buffer.from(JSON.stringify(datasetConfig(seed, stats.years), null, 2) + "\n", "utf8") },
    { path: "README.md", data: Buffer.from(readme(seed, geo, stats, summary), "utf8") },
  ];
}
