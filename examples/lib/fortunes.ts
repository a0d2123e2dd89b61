// The /fortunes rules (TechEmpower): every row, plus one added at request time, sorted by message,
// rendered as an HTML table with every message escaped.
export interface Fortune { id: number; message: string }

export const ADDITIONAL_FORTUNE = 'Additional fortune added at request time.';

/** Code-unit order, as the benchmark's reference implementations sort (not locale order). */
export function byMessage(a: Fortune, b: Fortune): number {
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Adds the request-time fortune and sorts; `rows` is the caller's own array and is reused. */
export function withAdditional(rows: Fortune[]): Fortune[] {
  rows.push({ id: 0, message: ADDITIONAL_FORTUNE });
  return rows.sort(byMessage);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function renderFortunes(rows: readonly Fortune[]): string {
  let html = '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>';
  for (const f of rows) html += `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`;
  return html + '</table></body></html>';
}
