import type { Report } from '../model/report.js';

/**
 * JSON.stringify escapes C0 controls; DEL, C1 controls and bidi overrides are escaped too so the
 * document stays inert when someone `cat`s it to a terminal.
 */
export function inertJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function formatJson(report: Report): string {
  return inertJson(report);
}
