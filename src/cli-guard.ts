/** The CLI's `install` and `hook` actions: what they print and the exit code, apart from parsing. */
import type { CliIo } from './cli.js';
import type { HookInput } from './hook.js';
import type { Severity } from './model/finding.js';
import { sanitize } from './model/sanitize.js';
import { EXIT } from './report/exit-code.js';
import { formatText } from './report/text.js';
import type { PackageManager } from './scan/command-line.js';
import type { VerifyOptions } from './verify.js';

export interface InstallCommandOptions {
  base: Omit<VerifyOptions, 'root'>;
  root: string;
  specs: string[];
  passThrough: string[];
  manager?: PackageManager;
  failOn: Severity;
  dryRun: boolean;
  force: boolean;
  color: boolean;
  /** List info findings one by one (`--verbose`). */
  verbose?: boolean;
}

const shellWord = (word: string): string =>
  /^[\w@%+=:,./^~<>*-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

export async function installCommand(o: InstallCommandOptions, io: CliIo): Promise<number> {
  const { planInstall, runPackageManager } = await import('./install.js');
  const plan = await planInstall({
    ...o.base,
    root: o.root,
    specs: o.specs,
    passThrough: o.passThrough,
    failOn: o.failOn,
    ...(o.manager ? { manager: o.manager } : {}),
  });
  const commandLine = [plan.manager, ...plan.args].map(shellWord).join(' ');
  if (plan.report.findings.length || plan.report.status !== 'clean')
    io.stdout.write(formatText(plan.report, { color: o.color, verbose: !!o.verbose || o.failOn === 'info' }));
  if (o.dryRun) {
    io.stdout.write(
      `depverify: would run: ${sanitize(commandLine)} (package manager from ${sanitize(plan.managerFrom)})\n`,
    );
    return plan.checkExit;
  }
  if (plan.checkExit !== EXIT.clean && !o.force) {
    const why = plan.checkExit === EXIT.incomplete ? 'some packages could not be checked' : 'the check found problems';
    io.stderr.write(
      `depverify: not running \`${sanitize(commandLine)}\`: ${why}. Fix the findings above, or run again with --force to install anyway.\n`,
    );
    return plan.checkExit;
  }
  if (plan.checkExit !== EXIT.clean)
    io.stderr.write(`depverify: --force: running \`${sanitize(commandLine)}\` despite the findings above\n`);
  return runPackageManager(plan.manager, plan.args, o.root, io.env);
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Claude Code's hook protocol: exit 0 lets the tool call run; exit 2 blocks it and hands stderr
 * to the agent as the reason; any other code is an error shown to the user, and the call runs.
 */
export async function hookCommand(
  agent: string,
  base: Omit<VerifyOptions, 'root'>,
  allowUnknown: boolean,
  io: CliIo,
): Promise<number> {
  if (agent !== 'claude') {
    io.stderr.write(`depverify: unknown hook "${sanitize(agent)}"; supported: claude\n`);
    return 1;
  }
  let input: HookInput;
  try {
    input = JSON.parse(await readAll(io.stdin ?? process.stdin)) as HookInput;
    if (typeof input !== 'object' || input === null) throw new Error('not a JSON object');
  } catch (error) {
    io.stderr.write(
      `depverify hook: the hook input is not the JSON a PreToolUse hook receives (${sanitize((error as Error).message)})\n`,
    );
    return 1;
  }
  const { checkHookInput } = await import('./hook.js');
  try {
    const decision = await checkHookInput(input, { ...base, cwd: io.cwd, allowUnknown });
    if (!decision.block) return EXIT.clean;
    io.stderr.write(`${decision.reason}\n`);
    return 2;
  } catch (error) {
    io.stderr.write(`depverify hook: could not check the command: ${sanitize((error as Error).message, 2000)}\n`);
    return 1;
  }
}
