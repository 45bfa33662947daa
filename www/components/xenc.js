// The one-hot pictures: the whole word's xenc (a row per bigram, the lecture's picture)
// and, for a context of two or three characters, the one-hot over all contexts as a grid.

import { fitCanvas, label, css, palette } from './draw.js';
import { available } from './strips.js';

/**
 * A one-hot picture's canvas at its size, cleared, with labels centred in their cells.
 * @param {HTMLCanvasElement} canvas
 * @param {number} w
 * @param {number} h
 * @param {number} font the labels' size in CSS px (7 at least)
 */
function picture(canvas, w, h, font) {
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `${Math.max(7, font)}px ui-monospace, Menlo, monospace`;
  return ctx;
}

/**
 * The one-hot over the contexts of two characters as a V×V grid (row: the older
 * character, column: the newer), its one cell lit. For three characters, the grid of the
 * last two within the first character's block.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} digits the context's characters, oldest first
 * @param {readonly string[]} vocab
 */
export function drawContextGrid(canvas, digits, vocab) {
  const colours = palette();
  const v = vocab.length;
  const [a, b] = digits.slice(-2);
  const avail = Math.max(160, available(canvas));
  const cell = Math.max(4, Math.min(14, Math.floor(avail / (v + 1))));
  const size = cell * (v + 1);
  const ctx = picture(canvas, size, size, cell * 0.7);
  for (let i = 0; i < v; i++) {
    ctx.fillStyle = i === b ? colours.mark : colours.ink;
    ctx.fillText(label(vocab[i]), cell * (i + 1.5), cell / 2);
    ctx.fillStyle = i === a ? colours.mark : colours.ink;
    ctx.fillText(label(vocab[i]), cell / 2, cell * (i + 1.5));
  }
  for (let r = 0; r < v; r++) {
    for (let c = 0; c < v; c++) {
      ctx.fillStyle = r === a && c === b ? css(1, 1, false, colours) : colours.off;
      ctx.fillRect(cell * (c + 1), cell * (r + 1), cell - 1, cell - 1);
    }
  }
  ctx.strokeStyle = colours.mark;
  ctx.lineWidth = 2;
  ctx.strokeRect(cell * (b + 1) - 1, cell * (a + 1) - 1, cell + 1, cell + 1);
}

/**
 * The word's one-hot matrix: a row per bigram, its input's cell lit (the first 40).
 * @param {HTMLCanvasElement} canvas
 * @param {(number|null)[]} inputs input index of each bigram (null: unknown character)
 * @param {readonly string[]} vocab
 * @param {number} selected the row outlined (the example followed), or −1
 */
export function drawWordPicture(canvas, inputs, vocab, selected) {
  const colours = palette();
  const rows = inputs.slice(0, 40);
  const v = vocab.length;
  const avail = Math.max(160, available(canvas));
  const cell = Math.max(5, Math.min(20, Math.floor(avail / (v + 1))));
  const [w, h] = [cell * (v + 1), cell * (rows.length + 1)];
  const ctx = picture(canvas, w, h, cell * 0.6);
  ctx.fillStyle = colours.ink;
  vocab.forEach((c, i) => ctx.fillText(label(c), cell * (i + 1.5), cell / 2));
  rows.forEach((ix, r) => {
    ctx.fillStyle = colours.ink;
    ctx.fillText(ix === null ? '?' : label(vocab[ix]), cell / 2, cell * (r + 1.5));
    for (let i = 0; i < v; i++) {
      ctx.fillStyle = i === ix ? css(1, 1, false, colours) : colours.off;
      ctx.fillRect(cell * (i + 1), cell * (r + 1), cell - 1, cell - 1);
    }
    if (r === selected) {
      ctx.strokeStyle = colours.mark;
      ctx.lineWidth = 2;
      ctx.strokeRect(cell + 1, cell * (r + 1) + 1, cell * v - 2, cell - 2);
    }
  });
  canvas.dataset.rows = JSON.stringify(rows);
  canvas.setAttribute('aria-label', `xenc for the word: ${rows.length} rows of ${v}, one cell lit in each`);
}
