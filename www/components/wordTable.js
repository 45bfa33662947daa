// The word probe's table: one row per bigram of .word., with p, a bar for p, and −ln p;
// after a Step, how p and −ln p moved; last, the example's indices x → y. Everything the
// person typed is written with textContent, never parsed as HTML.

import { label } from './draw.js';

/**
 * What `Lab.wordReport` gives: a row per example of the word (`bigram` its characters;
 * `example`, with a longer context, the context and the next character; `input` the
 * context's row of W and `label` the next character's index), p and −ln p (null where
 * the word has a character the vocabulary lacks), and their mean.
 * @typedef {object} ProbeReport
 * @property {{bigram: string, example?: string, input?: number|null, label?: number|null,
 *   p: number|null, nll: number|null}[]} rows
 *   (the library sends at most a few hundred rows)
 * @property {number} total_rows
 * @property {number|null} mean_nll
 */

/**
 * A number to four decimals (its full value in data-value), or a dash for none.
 * @param {HTMLElement} cell
 * @param {number|null|undefined} value
 */
function numberCell(cell, value) {
  if (value === null || value === undefined) {
    cell.textContent = '—';
    delete cell.dataset.value;
  } else {
    cell.textContent = value.toFixed(4);
    cell.dataset.value = String(value);
  }
}

/**
 * A change as text with its direction: "▲ +0.0123", "▼ −0.0456", "= 0".
 * @param {HTMLElement} cell
 * @param {number|null} delta
 */
function deltaCell(cell, delta) {
  if (delta === null) {
    cell.textContent = '';
    delete cell.dataset.value;
    return;
  }
  cell.dataset.value = String(delta);
  const a = Math.abs(delta);
  const body = a !== 0 && a < 1e-4 ? a.toExponential(2) : a.toFixed(4);
  cell.textContent = delta > 0 ? `▲ +${body}` : delta < 0 ? `▼ −${body}` : '= 0';
}

/**
 * @param {HTMLTableElement} table
 * @param {HTMLElement} wordLoss
 * @param {ProbeReport} report
 * @param {ProbeReport|null} [previous] the report before the last step: each row then shows
 *   how its p and −ln p moved (rows whose bigrams differ show nothing)
 */
export function renderProbe(table, wordLoss, report, previous = null) {
  const body = table.tBodies[0];
  const { rows } = report;
  // Rebuild only when the bigrams change; while training only the numbers move.
  const same = body.rows.length === rows.length
    && rows.every((r, i) => body.rows[i].dataset.bigram === r.bigram && body.rows[i].dataset.example === (r.example ?? r.bigram));
  if (!same) {
    body.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.bigram = r.bigram;
      tr.dataset.example = r.example ?? r.bigram; // the context and the next character: "..e"

      tr.tabIndex = 0; // rows are picked for the explorer by keyboard too
      const name = document.createElement('td');
      name.className = 'bigram';
      name.textContent = [...r.bigram].map(label).join('');
      const p = document.createElement('td');
      p.dataset.col = 'p';
      const barCell = document.createElement('td');
      const bar = document.createElement('div');
      bar.className = 'bar';
      barCell.append(bar);
      const nll = document.createElement('td');
      nll.dataset.col = 'nll';
      const dp = document.createElement('td');
      dp.dataset.col = 'dp';
      dp.className = 'delta';
      const dnll = document.createElement('td');
      dnll.dataset.col = 'dnll';
      dnll.className = 'delta';
      const xy = document.createElement('td');
      xy.dataset.col = 'xy';
      xy.className = 'indices';
      tr.append(name, p, barCell, nll, dp, dnll, xy);
      return tr;
    }));
  }
  rows.forEach((r, i) => {
    const tr = body.rows[i];
    const known = r.p !== null;
    tr.classList.toggle('unknown', !known);
    numberCell(tr.cells[1], r.p);
    if (!known) tr.cells[1].textContent = 'unknown';
    const bar = tr.cells[2].firstElementChild;
    if (bar instanceof HTMLElement) bar.style.width = `${r.p !== null ? (r.p * 100).toFixed(2) : 0}%`;
    numberCell(tr.cells[3], r.nll);
    const before = previous?.rows?.[i];
    const comparable = before && before.bigram === r.bigram;
    /** @type {(now: number|null, then: number|null) => number|null} */
    const change = (now, then) => (comparable && now !== null && then !== null ? now - then : null);
    deltaCell(tr.cells[4], change(r.p, before?.p ?? null));
    deltaCell(tr.cells[5], change(r.nll, before?.nll ?? null));
    // The example's indices, xs[i] → ys[i]: "0 → 5" for ". → e" (— for a character the vocabulary lacks).
    const index = (/** @type {number|null|undefined} */ k) => (k === null || k === undefined ? '—' : String(k));
    tr.cells[6].textContent = `${index(r.input)} → ${index(r.label)}`;
  });
  numberCell(wordLoss, report.mean_nll);
}
