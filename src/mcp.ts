/**
 * `depverify mcp`: a Model Context Protocol server over stdio, so a coding agent can ask before it
 * writes: check a snippet (or a Markdown answer), a list of package specs, or a project. Each tool
 * returns the JSON report as structured content and a short summary the agent can act on.
 * Nothing but protocol messages may reach stdout.
 */
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import type { Report } from './model/report.js';
import { sanitize } from './model/sanitize.js';
import { verifySnippet } from './verify-snippet.js';
import { type VerifyOptions, verify } from './verify.js';
import { VERSION } from './version.js';

type Base = Omit<VerifyOptions, 'root'>;
const LANGS = ['js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts'] as const;

/**
 * What an agent reads first: the verdict, then each finding on one line with where it is.
 * @public test/bench/real-projects.mjs calls it through dist/.
 */
export function summarise(report: Report, limit = 12): string {
  const s = report.summary;
  const lines: string[] = [];
  if (report.status === 'clean') lines.push(`No problems found in ${s.names} package${s.names === 1 ? '' : 's'}.`);
  else if (report.status === 'incomplete')
    lines.push(
      `Could not check everything (${s.unknown} package${s.unknown === 1 ? '' : 's'} unknown): do not treat this as a pass.`,
    );
  else
    lines.push(
      `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'} in ${s.names} package${s.names === 1 ? '' : 's'}: fix these before installing or running the code.`,
    );
  for (const f of report.findings.slice(0, limit)) {
    const where = f.locations[0]
      ? ` (${f.locations[0].file}${f.locations[0].line ? `:${f.locations[0].line}` : ''})`
      : '';
    lines.push(`- [${f.severity}] ${f.code}: ${f.message}${where}`);
  }
  if (report.findings.length > limit)
    lines.push(`… and ${report.findings.length - limit} more in the structured report.`);
  return lines.join('\n');
}

function result(report: Report) {
  return {
    content: [{ type: 'text' as const, text: summarise(report) }],
    structuredContent: report as unknown as Record<string, unknown>,
  };
}

function failure(error: unknown) {
  return {
    isError: true,
    content: [
      { type: 'text' as const, text: `depverify could not run the check: ${sanitize((error as Error).message, 2000)}` },
    ],
  };
}

function createMcpServer(base: Base): McpServer {
  const server = new McpServer({ name: 'depverify', version: VERSION });
  server.registerTool(
    'check_snippet',
    {
      title: 'Check code before writing it',
      description:
        'Check a JavaScript/TypeScript snippet, or a Markdown answer with code blocks and npm/yarn/pnpm/bun install lines (also npx, dlx, bunx and npm create lines, package.json blocks and CDN URLs): packages that do not exist, deprecated or suspicious packages, and imports or members (`pg.connect_secure`) the real package does not have. Packages are checked at the version an install line names, else the latest.',
      inputSchema: {
        code: z.string().min(1).max(1_000_000).describe('The snippet, or the Markdown answer'),
        language: z
          .enum(LANGS)
          .optional()
          .describe('Treat the input as code in this language instead of detecting Markdown'),
        fileName: z.string().max(200).optional().describe('A name for locations, e.g. answer.md or server.ts'),
      },
    },
    async ({ code, language, fileName }) => {
      try {
        return result(
          await verifySnippet({
            ...base,
            text: code,
            ...(language ? { lang: language } : {}),
            ...(fileName ? { fileName } : {}),
          }),
        );
      } catch (error) {
        return failure(error);
      }
    },
  );
  server.registerTool(
    'check_packages',
    {
      title: 'Check packages before installing them',
      description:
        'Check package specs (`name` or `name@range`) against the registry: existence, published versions, deprecation, licence, maintenance and squatting risk.',
      inputSchema: {
        packages: z
          .array(z.string().min(1).max(214))
          .min(1)
          .max(500)
          .describe('Specs such as express, zod@^3, @types/node'),
      },
    },
    async ({ packages }) => {
      try {
        return result(await verify({ ...base, packages }));
      } catch (error) {
        return failure(error);
      }
    },
  );
  server.registerTool(
    'check_project',
    {
      title: 'Check a project directory',
      description:
        'Check a project: its package.json files, lockfile and every import in its source, including members used from each package.',
      inputSchema: {
        path: z
          .string()
          .min(1)
          .describe("The project directory (absolute, or relative to the server's working directory)"),
      },
    },
    async ({ path: dir }) => {
      try {
        return result(await verify({ ...base, root: path.resolve(dir) }));
      } catch (error) {
        return failure(error);
      }
    },
  );
  return server;
}

/** Serves until the client closes standard input. */
export async function runMcpServer(base: Base): Promise<void> {
  const server = createMcpServer(base);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
