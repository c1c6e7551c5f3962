import { describe, expect, it } from 'vitest';
import { CODE_INFO } from '../../src/model/codes.js';
import { FINDING_CODES, type Finding } from '../../src/model/finding.js';
import { formatSarif, pathToUri } from '../../src/report/sarif.js';
import {
  commandLineFinding,
  everyKind,
  hostileFinding,
  infoFinding,
  inputErrorFinding,
  locationlessFinding,
  lockfileFinding,
  manifestFinding,
  report,
  sourceFinding,
} from '../helpers/report.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region?: { startLine: number; startColumn?: number };
    };
    logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }>;
  }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[] };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    invocations: Array<{ executionSuccessful: boolean }>;
    results: SarifResult[];
  }>;
}

const parse = (text: string) => JSON.parse(text) as SarifLog;
const run = (findings: Finding[], options?: { root?: string }) =>
  parse(formatSarif(report(findings), options)).runs[0]!;
const only = (finding: Finding) => run([finding]).results[0]!;

describe('formatSarif', () => {
  it('is valid SARIF 2.1.0 by the published JSON schema, for every kind of report', () => {
    const reports = [
      report(everyKind),
      report([hostileFinding]),
      report([]),
      report([locationlessFinding], 'incomplete'),
    ];
    for (const r of reports) {
      expect(sarifSchemaErrors(JSON.parse(formatSarif(r, { root: '/work/my project' })))).toEqual([]);
      expect(sarifSchemaErrors(JSON.parse(formatSarif(r)))).toEqual([]);
    }
  });

  it('the schema check is not vacuous: a wrong level and a missing message fail it', () => {
    const log = parse(formatSarif(report([sourceFinding])));
    const result = log.runs[0]!.results[0]! as unknown as Record<string, unknown>;
    result.level = 'fatal';
    delete result.message;
    expect(sarifSchemaErrors(log).join('\n')).toMatch(/level[\s\S]*message|message[\s\S]*level/);
  });

  it('names the tool and invents no URL for it', () => {
    const log = parse(formatSarif(report(everyKind)));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'depverify', version: '0.1.0' });
    expect(log.runs[0]!.tool.driver.informationUri).toBeUndefined();
  });

  it('has one rule per finding code, in code order, with the metadata of CODE_INFO', () => {
    const { rules } = run([]).tool.driver;
    expect(rules.map((r) => r.id)).toEqual([...FINDING_CODES]);
    const notFound = rules[FINDING_CODES.indexOf('NOT_FOUND')]!;
    expect(notFound).toMatchObject({
      name: 'NotFound',
      shortDescription: { text: CODE_INFO.NOT_FOUND.title },
      fullDescription: { text: CODE_INFO.NOT_FOUND.help },
      help: { text: CODE_INFO.NOT_FOUND.help },
      defaultConfiguration: { level: 'error' },
    });
    expect(notFound.properties.tags).toContain('security');
    expect(rules.find((r) => r.id === 'DEPRECATED')?.defaultConfiguration.level).toBe('warning');
    expect(rules.find((r) => r.id === 'LICENSE_CHANGED')?.name).toBe('LicenseChanged');
  });

  it('maps severities to levels and points ruleIndex at the rule', () => {
    const results = run(everyKind).results;
    const levels = results.map((r) => [r.ruleId, r.level]);
    expect(levels).toContainEqual(['UNLISTED_DEPENDENCY', 'error']);
    expect(levels).toContainEqual(['DEPRECATED', 'warning']);
    expect(levels).toContainEqual(['LICENSE_CHANGED', 'note']);
    const rules = run([]).tool.driver.rules;
    for (const r of results) expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('a source location has a line and a column; the message carries the hint on its own line', () => {
    const result = only(sourceFinding);
    expect(result.message.text).toBe(`${sourceFinding.message}\n${sourceFinding.hint}`);
    expect(result.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/legacy.cjs', uriBaseId: '%SRCROOT%' },
          region: { startLine: 3, startColumn: 23 },
        },
      },
    ]);
  });

  it('a manifest location keeps its field as a logical location; properties carry package and details', () => {
    const result = only(manifestFinding);
    expect(result.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' },
          region: { startLine: 13 },
        },
        logicalLocations: [{ fullyQualifiedName: 'dependencies.pg-secure-pool', kind: 'property' }],
      },
    ]);
    expect(result.properties).toEqual({ package: 'pg-secure-pool', details: { reason: 'not-found' } });
  });

  it('a lockfile finding has one location per place, and its version', () => {
    const result = only(lockfileFinding);
    expect(result.message.text).toBe(lockfileFinding.message);
    expect(
      result.locations?.map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region?.startLine]),
    ).toEqual([
      ['package-lock.json', 120],
      ['package.json', 14],
    ]);
    expect(result.properties).toEqual({ package: 'request', version: '2.88.2' });
    expect(only(infoFinding).locations?.[0]?.physicalLocation.artifactLocation.uri).toBe('packages/app/package.json');
  });

  it('a location without a line has no region; a path is percent-encoded as a URI reference', () => {
    const result = only(inputErrorFinding);
    expect(result.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'broken%20dir/%231%20100%25.json', uriBaseId: '%SRCROOT%' } } },
    ]);
    expect(result.properties).toEqual({});
    expect(pathToUri('node_modules/@scope/a+b/x.ts')).toBe('node_modules/@scope/a+b/x.ts');
    expect(pathToUri('c:/x?.ts')).toBe('c%3A/x%3F.ts');
    expect(pathToUri('src\\win.ts')).toBe('src/win.ts');
  });

  it('a finding with no locations has no locations property at all', () => {
    const result = only(locationlessFinding);
    expect(result).not.toHaveProperty('locations');
    expect(result.properties).toMatchObject({ package: 'expresss', details: { suggestions: [{ name: 'express' }] } });
  });

  it('a --package argument is no file: it is kept as a property, not a location', () => {
    const result = only(commandLineFinding);
    expect(result).not.toHaveProperty('locations');
    expect(result.properties).toEqual({ package: 'express', arguments: ['express@^9'] });
    expect(sarifSchemaErrors(parse(formatSarif(report([commandLineFinding]))))).toEqual([]);
  });

  it('fingerprints are stable across runs, follow code, package, file and line, and ignore wording', () => {
    const fp = (finding: Finding) => Object.values(only(finding).partialFingerprints);
    expect(fp(manifestFinding)).toEqual(fp(manifestFinding));
    expect(fp(manifestFinding)[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(fp({ ...manifestFinding, message: 'reworded', hint: 'other' })).toEqual(fp(manifestFinding));
    expect(fp({ ...manifestFinding, locations: [{ ...manifestFinding.locations[0]!, line: 14 }] })).not.toEqual(
      fp(manifestFinding),
    );
    expect(fp({ ...manifestFinding, package: 'other' })).not.toEqual(fp(manifestFinding));
    expect(fp({ ...manifestFinding, code: 'UNPUBLISHED' })).not.toEqual(fp(manifestFinding));
    const all = run(everyKind).results.map((r) => Object.values(r.partialFingerprints)[0]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('records whether the run could check everything', () => {
    expect(parse(formatSarif(report(everyKind))).runs[0]!.invocations).toEqual([{ executionSuccessful: true }]);
    expect(parse(formatSarif(report([locationlessFinding], 'incomplete'))).runs[0]!.invocations).toEqual([
      { executionSuccessful: false },
    ]);
  });

  it('with a root, %SRCROOT% resolves to it as a file URI ending in a slash', () => {
    expect(run([], { root: '/work/my project' }).originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///work/my%20project/' },
    });
    expect(run([]).originalUriBaseIds).toBeUndefined();
  });

  it('hostile text stays inert: no raw control, C1 or bidi character in the file or in a message', () => {
    const text = formatSarif(report([hostileFinding]));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    const result = parse(text).runs[0]!.results[0]!;
    expect(result.message.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e\u2066]/);
    expect(result.message.text.split('\n')).toHaveLength(2);
    expect(result.message.text).toContain('::set-output name=token::stolen');
    // Machine-readable details keep the registry's bytes; only the file encoding makes them inert.
    expect((result.properties.details as { deprecated: string }).deprecated).toBe('\u001b[2J\u202e::notice::x\nnext');
    expect(result.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe('src/a,b%3Ac%0A%3A%3Aerror%3A%3Ax.ts');
  });
});
