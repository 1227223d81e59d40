import type { BenchResult } from "../types.js";

const WIDTH = 760;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 70;
const ROW = 34;
const TOP = 48;

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Horizontal bars of every ratio on a log scale around parity (1x), goal ticks where the
 * issue sets one. Hand-written SVG: no chart library, stable output for diffs.
 */
export function renderChart(results: readonly BenchResult[]): string {
  const rows = results.filter((r) => r.status === "ok" && r.ratio !== undefined);
  const values = rows.flatMap((r) => [r.ratio?.value ?? 1, r.ratio?.target ?? 1]);
  const lo = Math.floor(Math.log10(Math.min(1, ...values.filter((v) => v > 0))));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(1, ...values))));
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (v: number) =>
    plotLeft + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * plotWidth;
  const height = TOP + rows.length * ROW + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">Ours vs baseline (higher is better, log scale; 1x = parity)</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const gx = x(10 ** e);
    out.push(
      `<line x1="${gx}" y1="${TOP - 8}" x2="${gx}" y2="${TOP + rows.length * ROW}" stroke="${e === 0 ? "#333" : "#ddd"}" stroke-width="${e === 0 ? 1.5 : 1}"/>`,
      `<text x="${gx}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#555">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)}x</text>`,
    );
  }
  rows.forEach((r, i) => {
    const ratio = r.ratio;
    if (!ratio) return;
    const y = TOP + i * ROW;
    const met = r.goals.every((g) => g.met);
    const x0 = x(1);
    const x1 = x(ratio.value);
    out.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeXml(r.name)}</text>`,
      `<rect x="${Math.min(x0, x1)}" y="${y + 7}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${ROW - 14}" fill="${met ? "#2e7d32" : "#e65100"}"><title>${escapeXml(ratio.definition)}</title></rect>`,
      `<text x="${WIDTH - VALUE_WIDTH + 6}" y="${y + ROW / 2 + 4}">${ratio.value}x</text>`,
    );
    if (ratio.target !== undefined) {
      const tx = x(ratio.target);
      out.push(
        `<line x1="${tx}" y1="${y + 3}" x2="${tx}" y2="${y + ROW - 3}" stroke="#1565c0" stroke-width="2.5" stroke-dasharray="3 2"><title>goal ${ratio.target}x</title></line>`,
      );
    }
  });
  out.push(
    `<text x="${plotLeft}" y="${height - 8}" fill="#555">green: every goal met · orange: a goal missed · blue dashes: the ratio goal</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
