/**
 * depverify as a library: `verify(options)` scans a project (or takes package specs), checks every
 * package against the registry and resolves to a typed Report. It prints nothing and never exits;
 * format the report with `formatText`, `formatJson`, `formatSarif` or `formatGithub` and derive an
 * exit code with `exitCode`.
 */
export { verify, ConfigError, type VerifyOptions, type Progress } from './verify.js';
export { verifySnippet, type SnippetOptions } from './verify-snippet.js';
export type { SnippetLang } from './scan/read-snippet.js';
export { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry/client.js';
export { defaultCacheDir } from './registry/facts-cache.js';
export { formatText, type TextOptions } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif, type SarifOptions } from './report/sarif.js';
export { formatGithub } from './report/github.js';
export { exitCode, EXIT } from './report/exit-code.js';
export { CODE_INFO, type CodeInfo } from './model/codes.js';
export {
  COMMAND_LINE,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type Location,
  type Severity,
} from './model/finding.js';
export type { FindingDetails, FindingDetailsMap, FindingOf } from './model/finding-details.js';
export type { Lookup, PackageFacts, VersionFacts, MissingReason } from './model/facts.js';
export type { Report, PackageResult, PackageState, ReportStatus, Summary } from './model/report.js';
export type { DepverifyConfig, DepverifyConfigInput, SeveritySetting } from './config/config.js';
