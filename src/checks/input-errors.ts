import { makeFinding } from '../model/codes.js';
import { sanitize } from '../model/sanitize.js';
import { lockEntryProblem } from '../plan/requests.js';
import { isSourceFile } from '../scan/source-files.js';
import { defineProjectCheck } from './check.js';

/** INPUT_ERROR: every file the scan could not read; what it references went unchecked. */
export const checkInputErrors = defineProjectCheck({
  name: 'input-errors',
  run(scan) {
    // A spec npm cannot read is a defect of that manifest (its install fails), not a file
    // depverify could not read: a finding at its line, and the run stays complete.
    const invalidSpecs = scan.manifests.flatMap((m) =>
      m.dependencies
        .filter((d) => d.kind === 'invalid')
        .map((d) =>
          makeFinding('INVALID_SPEC', {
            package: sanitize(d.name),
            message: sanitize(
              `${m.path}: ${d.name} is declared as "${d.spec}", which is not a version, range, tag or URL npm can install.`,
            ),
            hint: 'Use a version range (^1.2.0), a tag (latest) or a URL; installing this project fails until then.',
            locations: [{ file: m.path, ...(d.line ? { line: d.line } : {}), field: `${d.field}.${d.name}` }],
          }),
        ),
    );
    const badLockEntries = (scan.lockfile?.packages ?? []).flatMap((entry) => {
      const problem = lockEntryProblem(entry);
      return problem ? [{ file: entry.lockfile, line: entry.line, message: problem }] : [];
    });
    const missing = (scan.warnings ?? [])
      .filter((w) => w.reason === 'missing-file')
      .map((warning) =>
        makeFinding('CONFIG_INCOMPLETE', {
          package: '',
          message: sanitize(`${warning.file}: ${warning.message}`),
          hint: 'Run the step that generates it (e.g. nuxt prepare) before depverify for a complete view; the rest of the project was checked.',
          locations: [{ file: warning.file, ...(warning.field ? { field: warning.field } : {}) }],
          details: { reason: 'missing-file' },
        }),
      );
    const recovered = (scan.warnings ?? [])
      .filter((w) => w.reason !== 'missing-file')
      .map((warning) =>
        makeFinding('SYNTAX_ERROR', {
          package: '',
          message: sanitize(
            `${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}; every import in it was still read and checked`,
          ),
          hint: "If the code is cut off or mixes in other text (a shell line, prose), fix it before running it; if the project's own tools accept it (Flow, a syntax TypeScript does not parse yet, a broken-on-purpose test input), nothing was left unchecked.",
          locations: [
            {
              file: warning.file,
              ...(warning.line ? { line: warning.line } : {}),
              ...(warning.column ? { column: warning.column } : {}),
            },
          ],
        }),
      );
    return [
      ...missing,
      ...recovered,
      ...invalidSpecs,
      ...[...scan.errors, ...badLockEntries].map((error) =>
        makeFinding('INPUT_ERROR', {
          package: '',
          message: sanitize(`${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`),
          hint: isSourceFile(error.file)
            ? 'Fix the file, or, if it is broken on purpose (a test input), list it in ignore.paths of the depverify configuration; what it references was not checked.'
            : 'Fix the file; what it references was not checked.',
          locations: [
            {
              file: error.file,
              ...(error.line ? { line: error.line } : {}),
              ...('column' in error && error.column ? { column: error.column } : {}),
              ...('field' in error && error.field ? { field: error.field } : {}),
            },
          ],
          ...('reason' in error && error.reason ? { details: { reason: error.reason } } : {}),
        }),
      ),
    ];
  },
});
