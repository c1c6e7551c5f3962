/**
 * `depverify install`: check what an install would bring in, and only then run the project's
 * package manager with the same arguments. The check is verify() on the named specs (or, with
 * none, on the project as it is); the package manager is run only when nothing at or above
 * `failOn` was found and nothing was left unchecked.
 */
import { spawn } from 'node:child_process';
import type { Severity } from './model/finding.js';
import type { Report } from './model/report.js';
import { EXIT, exitCode } from './report/exit-code.js';
import type { PackageManager } from './scan/command-line.js';
import { detectPackageManager, installArgs } from './scan/package-manager.js';
import { type VerifyOptions, verify } from './verify.js';

export interface InstallOptions extends Omit<VerifyOptions, 'root' | 'packages' | 'changedSince'> {
  root: string;
  /** Specs to add; none means "install the project". */
  specs: string[];
  /** Arguments after `--`, handed to the package manager untouched. */
  passThrough?: string[];
  /** Use this package manager instead of the detected one. */
  manager?: PackageManager;
  failOn?: Severity;
}

export interface InstallPlan {
  manager: PackageManager;
  /** Why this package manager was chosen. */
  managerFrom: string;
  args: string[];
  report: Report;
  /** The check's own exit code (0: go ahead). */
  checkExit: number;
}

export async function planInstall(options: InstallOptions): Promise<InstallPlan> {
  const { specs, passThrough = [], manager: chosen, failOn = 'error', ...rest } = options;
  const detected = chosen ? { manager: chosen, from: '--pm' } : detectPackageManager(options.root);
  const report = await verify({ ...rest, ...(specs.length ? { packages: specs } : {}) });
  return {
    manager: detected.manager,
    managerFrom: detected.from,
    args: installArgs(detected.manager, specs, passThrough),
    report,
    checkExit: exitCode(report, failOn),
  };
}

/** Runs the package manager with the terminal attached; resolves to its exit code. */
export function runPackageManager(
  manager: PackageManager,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolve) => {
    // No shell: the user's arguments reach the package manager as they were given.
    const child = spawn(manager, args, { cwd, env, stdio: 'inherit' });
    child.on('error', () => resolve(EXIT.incomplete));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 1 : EXIT.incomplete)));
  });
}
