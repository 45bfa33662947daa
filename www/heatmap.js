// The V×V probability table as a heatmap, the lecture's figure: row = current character,
// column = next character. The pointer or the arrow keys pick a cell; its bigram and
// probability are written as text in the readout.

import { fitCanvas } from './lossChart.js';

/** White to dark blue, like matplotlib's "Blues". */
const RAMP = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

function colour(t) {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((a, k) => Math.round(a + (RAMP[i + 1][k] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** How a character is labelled: visible even when it is a space. */
export function label(ch) {
  return ch === ' ' ? '␠' : ch;
}

export class Heatmap {
  /**
   * @param {HTMLCanvasElement} canvas focusable canvas
   * @param {HTMLElement} readout where the picked cell is described
   */
  constructor(canvas, readout) {
    this.canvas = canvas;
    this.readout = readout;
    this.probs = null;
    this.vocab = [];
    this.cursor = null; // [row, col] of the picked cell
    this.cell = 20;
    canvas.addEventListener('mousemove', (e) => this.pick(this.cellAt(e)));
    canvas.addEventListener('mouseleave', () => this.pick(null));
    canvas.addEventListener('focus', () => this.pick(this.cursor ?? [0, 0]));
    canvas.addEventListener('blur', () => this.pick(null));
    canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  cellAt(event) {
    const rect = this.canvas.getBoundingClientRect();
    const col = Math.floor((event.clientX - rect.left) / this.cell) - 1;
    const row = Math.floor((event.clientY - rect.top) / this.cell) - 1;
    const v = this.vocab.length;
    return row >= 0 && col >= 0 && row < v && col < v ? [row, col] : null;
  }

  onKey(event) {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const v = this.vocab.length;
    const [r, c] = this.cursor ?? [0, 0];
    this.pick([Math.min(v - 1, Math.max(0, r + move[0])), Math.min(v - 1, Math.max(0, c + move[1]))]);
  }

  pick(cell) {
    this.cursor = cell ?? (document.activeElement === this.canvas ? this.cursor : null);
    this.describe();
    if (this.probs) this.draw(this.probs, this.vocab);
  }

  describe() {
    if (!this.cursor || !this.probs) {
      this.readout.textContent = '\u00a0';
      return;
    }
    const [r, c] = this.cursor;
    const p = this.probs[r * this.vocab.length + c];
    const text = `${label(this.vocab[r])}${label(this.vocab[c])}: p(${label(this.vocab[c])} after ${label(this.vocab[r])}) = ${p.toFixed(4)}`;
    this.readout.textContent = text;
    this.readout.dataset.value = String(p);
  }

  /**
   * @param {Float32Array} probs V×V row-major
   * @param {string[]} vocab the V symbols
   */
  draw(probs, vocab) {
    this.probs = probs;
    this.vocab = vocab;
    const v = vocab.length;
    const avail = Math.max(200, (this.canvas.parentElement?.clientWidth ?? 600) - 24);
    this.cell = Math.max(6, Math.min(30, Math.floor(avail / (v + 1))));
    const size = this.cell * (v + 1);
    this.canvas.style.width = `${size}px`;
    this.canvas.style.height = `${size}px`;
    const ctx = fitCanvas(this.canvas, size, size);
    const s = this.cell;
    ctx.clearRect(0, 0, size, size);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `${Math.max(7, Math.floor(s * 0.55))}px ui-monospace, Menlo, monospace`;
    ctx.fillStyle = '#1b1f24';
    for (let i = 0; i < v; i++) {
      ctx.fillText(label(vocab[i]), s / 2, s * (i + 1.5)); // row labels
      ctx.fillText(label(vocab[i]), s * (i + 1.5), s / 2); // column labels
    }
    const showText = s >= 18;
    ctx.font = `${Math.max(7, Math.floor(s * 0.4))}px ui-monospace, Menlo, monospace`;
    for (let r = 0; r < v; r++) {
      for (let c = 0; c < v; c++) {
        const p = probs[r * v + c];
        // √p spreads the many small probabilities over more of the ramp.
        const t = Number.isFinite(p) ? Math.sqrt(p) : 0;
        ctx.fillStyle = colour(t);
        ctx.fillRect(s * (c + 1), s * (r + 1), s, s);
        if (showText) {
          ctx.fillStyle = t > 0.55 ? '#ffffff' : '#1b1f24';
          ctx.fillText(label(vocab[r]) + label(vocab[c]), s * (c + 1.5), s * (r + 1.5));
        }
      }
    }
    if (this.cursor) {
      const [r, c] = this.cursor;
      ctx.strokeStyle = '#e07b00';
      ctx.lineWidth = 3;
      ctx.strokeRect(s * (c + 1) + 1.5, s * (r + 1) + 1.5, s - 3, s - 3);
    }
    this.describe();
  }
}
