/**
 * Life-situation quarters made of whole block groups are protected jointly with the block-group
 * → statistical district → district → city hierarchy: a quarter table published beside the
 * block-group table cannot be subtracted from it. Negative control: the same quarters protected
 * on their own (as before) leak block-group cells through quarter − Σ published block groups.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { loadDataset, type Dataset } from "../src/project/config";
import { indicatorsVia } from "../src/areas/compare";
import { resultIndex } from "../src/indicators/compute";
import { protectCounts, protectIndicators, type ProtectedIndicators } from "../src/protect/apply";
import { jointCountProtection, protectedIndicatorsFor } from "../src/protect/dataset";
import { rulesFromConfig } from "../src/protect/rules";
import { auditTable, type Relation } from "../src/protect/suppress";

const CONFIG = path.join(__dirname, "..", "data", "musterstadt", "dataset.json");

/**
 * Publishes every count indicator of the nested systems and of the quarters as the tables do
 * (hidden cells as NaN) and attacks them jointly; returns the hidden block-group/district cells
 * that come out.
 */
function attack(ds: Dataset, nested: ProtectedIndicators[], quarters: ProtectedIndicators): string[] {
  const rules = rulesFromConfig(ds.config);
  const joint = jointCountProtection(ds, "bbg", rules);
  const nodes = joint.counts.table.areas;
  const index = new Map(nodes.map((n, j) => [n, j]));
  const relations: Relation[] = [];
  const kids = new Map<number, number[]>();
  for (const [child, parent] of joint.parentOf) {
    const l = kids.get(index.get(parent)!) ?? [];
    l.push(index.get(child)!);
    kids.set(index.get(parent)!, l);
  }
  for (const [total, parts] of kids) relations.push({ total, parts });
  for (const [q, parts] of joint.overlays.get("quartier")!) relations.push({ total: index.get(q)!, parts: parts.map((p) => index.get(p)!) });
  const recovered: string[] = [];
  const counts = nested[0]!.result.definitions.filter((d) => d.kind === "count");
  assert.ok(counts.length >= 3, "expected count indicators");
  for (const def of counts) {
    for (const year of nested[0]!.result.years) {
      const values = new Float64Array(nodes.length).fill(NaN);
      const put = (p: ProtectedIndicators) => {
        const r = p.result, i = r.definitions.findIndex((d) => d.id === def.id), y = r.years.indexOf(year);
        if (i < 0 || y < 0) return;
        r.areas.forEach((id, a) => {
          const k = resultIndex(r, i, a, y);
          if (!p.suppressed[k] && index.has(id)) values[index.get(id)!] = r.value[k]!;
        });
        values[index.get("Stadt")!] = r.reference.value[i * r.years.length + y]!;
      };
      for (const p of nested) put(p);
      put(quarters);
      for (const cell of auditTable(values, relations).recoverable) {
        const id = nodes[cell.cell]!;
        const p = nested.find((x) => x.result.areas.includes(id));
        if (!p) continue;
        const r = p.result, k = resultIndex(r, r.definitions.findIndex((d) => d.id === def.id), r.areas.indexOf(id), r.years.indexOf(year));
        if (p.suppressed[k]) recovered.push(`${def.id} ${year} ${id} = ${cell.value}`);
      }
    }
  }
  return recovered;
}

let ds: Dataset;
test("Musterstadt quarters are rows of the joint count protection", async () => {
  ds = await loadDataset(CONFIG, { validate: false });
  const joint = jointCountProtection(ds, "bbg", rulesFromConfig(ds.config));
  const q = joint.overlays.get("quartier");
  assert.ok(q, "quarters recognised as unions of block groups");
  assert.equal(q.size, 8);
  for (const [id, parts] of q) {
    assert.equal(joint.systemOf.get(id), "quartier");
    assert.ok(parts.length >= 2 && parts.every((p) => joint.systemOf.get(p) === "bbg"), `${id} is made of block groups`);
  }
  assert.deepEqual(joint.counts.unresolved, []);
  // The quarters' values rest on it: a quarter whose input count is suppressed there is hidden.
  const v = indicatorsVia(ds, "quartier");
  assert.ok(!v.protected.notes.some((n) => /nicht gemeinsam/.test(n)), v.protected.notes.join("; "));
  // Same pattern whatever indicator subset a caller computes (one protection for all tables).
  assert.equal(protectedIndicatorsFor(ds, "statbez", { indicators: ["child_poverty"] }).countProtection, joint);
});

test("quarter tables beside block-group tables reveal no hidden cell; quarters protected on their own do", (t) => {
  const rules = rulesFromConfig(ds.config);
  const systems = jointCountProtection(ds, "bbg", rules).systems;
  const joint = attack(ds, systems.map((s) => protectedIndicatorsFor(ds, s)), indicatorsVia(ds, "quartier").protected);
  assert.deepEqual(joint, [], "joint protection: nothing recoverable");
  // Negative control, the protection before quarters were joined: the hierarchy protected
  // without the quarter relations, the quarters among themselves only.
  const c = jointCountProtection(ds, "bbg", rules);
  const hierarchyOnly = protectCounts(c.counts.table, { parentOf: c.parentOf }, c.counts.rules);
  const nestedOld = systems.map((s) => protectIndicators(protectedIndicatorsFor(ds, s).result, { rules, counts: hierarchyOnly }));
  const alone = protectIndicators(indicatorsVia(ds, "quartier").result, { rules });
  const leaked = attack(ds, nestedOld, alone);
  assert.ok(leaked.length > 0, "quarters protected alone must leak block-group cells (else the test cannot fail)");
  t.diagnostic(`quarters protected alone: ${leaked.length} hidden cells recovered, e.g. ${leaked[0]}`);
});
