/**
 * The generator on a newer contract: it regenerates the graph and reports what changed. Here the
 * "newer" contract is a modified copy of today's: a resource gone, a field added, an endpoint the
 * overlay names removed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffContracts, renderChangeReport, type ContractSnapshot } from '../../scripts/contract/change-report.js';
import type { OpenApiDocument } from '../../scripts/contract/extract.js';
import { generateFrom, openApiPath, type Generated } from '../../scripts/generate-contract.js';

const snapshot = (g: Generated): ContractSnapshot => ({
  version: 'x',
  sdl: [...g.files].filter(([f]) => f.endsWith('.graphql')).map(([, c]) => c).join('\n'),
  operations: g.operations,
});

describe.skipIf(!existsSync(openApiPath))('change report on a modified contract', () => {
  it('names the removed type and operations, the added field and the overlay entry left without a match', () => {
    const doc = JSON.parse(readFileSync(openApiPath, 'utf8')) as OpenApiDocument & { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const before = generateFrom(doc);
    const next = structuredClone(doc);
    delete next.paths['/public-api/resources/cdrs/v2.0'];
    delete next.paths['/public-api/resources/cdrs/v2.0/{cdr}'];
    delete next.paths['/public-api/resources/templates/v1.0'];
    const read = next.paths['/public-api/resources/faqs/v2.0/{faq}']!.get!.responses['200'] as {
      content: { 'application/json': { schema: { properties: { data: { properties: Record<string, unknown> } } } } };
    };
    read.content['application/json'].schema.properties.data.properties.audience = { type: 'string', nullable: true };
    const after = generateFrom(next);

    const report = diffContracts(snapshot(before), snapshot(after), after.derived.overlayMisses);
    expect(report.types.removed.map((t) => t.name)).toEqual(expect.arrayContaining(['Cdr', 'CdrConnection', 'ChargePointTemplate']));
    expect(report.fields.added.map((f) => `${f.owner}.${f.name}`)).toContain('Faq.audience');
    expect(report.operations.removed.map((o) => o.operationId).sort()).toEqual(['cdrRead', 'cdrsListing', 'templatesListing']);
    expect(report.overlayMisses).toEqual(['domains: Cdr', 'domains: ChargePointTemplate', 'names: resources/templates/v1.0', 'viewFields: resources/templates/v1.0']);
    const text = renderChangeReport(report);
    expect(text).toContain('+ Faq.audience');
    expect(text).toContain('names: resources/templates/v1.0');
    // Today's contract leaves no overlay entry unmatched.
    expect(before.derived.overlayMisses).toEqual([]);
  }, 60_000);
});
