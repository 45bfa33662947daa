// A V×V table as a heatmap, the lecture's figure: row = current character, column =
// next character. It draws the `values` it is handed (the net's probabilities, the
// counting model's, their difference, W, W.grad, the last step's ΔW); the pointer (a hover
// or a tap) or the arrow keys pick a cell, whose bigram and value are written as text in
// the readout. On a phone the cells stay large enough to read and tap, and the canvas
// scrolls sideways in a box of its own.

import { fitCanvas, label, fillPixels, maxAbs, offscreen2d, palette } from './draw.js';

import { precision3 as prec, signed as signedText } from '../lib/format.js';
/** @typedef {import('./draw.js').Palette} Palette */
/** @typedef {'net'|'counts'|'diff'|'weights'|'grad'|'update'} HeatMode */

/**
 * How each mode colours a cell and names a value. Signed modes use a diverging ramp
 * centred on zero (blue above, red below), scaled to their own largest |value|.
 * @type {Record<HeatMode, {signed: boolean, scaled?: boolean,
 *   text: (row: string, col: string, value: number) => string}>}
 */
export const MODES = {
  net: { signed: false, text: (a, b, v) => `${a}${b}: p(${b} after ${a}) = ${v.toFixed(4)}` },
  counts: { signed: false, text: (a, b, v) => `${a}${b}: counting P(${b} after ${a}) = ${v.toFixed(4)}` },
  diff: { signed: true, text: (a, b, v) => `${a}${b}: net − counting = ${v >= 0 ? '+' : ''}${v.toFixed(4)}` },
  weights: { signed: true, scaled: true, text: (a, b, v) => `${a}${b}: W = ${signedText(v)}` },
  grad: { signed: true, scaled: true, text: (a, b, v) => `${a}${b}: W.grad = ${signedText(v)}` },
  update: { signed: true, scaled: true, text: (a, b, v) => `${a}${b}: ΔW = ${signedText(v)}` },
};

/** On a phone (narrow, or a finger for a pointer) a cell is at least this wide. */
const TOUCH_CELL = 24;
/** @type {MediaQueryList | undefined} */
let touchQuery;
const touchLayout = () => (touchQuery ??= window.matchMedia('(max-width: 820px), (pointer: coarse)')).matches;

/** The probability table on a canvas, with a cursor the pointer or keyboard moves. */
export class Heatmap {
  /**
   * @param {HTMLCanvasElement} canvas focusable canvas
   * @param {HTMLElement} readout where the picked cell is described
   * @param {HTMLElement|null} [scaleText] where a signed mode's colour scale is written
   */
  constructor(canvas, readout, scaleText = null) {
    this.canvas = canvas;
    this.readout = readout;
    this.scaleText = scaleText;
    /** @type {Float32Array|null} */
    this.values = null;
    /** @type {readonly string[]} */
    this.vocab = [];
    /** @type {HeatMode} */
    this.mode = 'net';
    /** @type {[number, number]|null} [row, col] of the picked cell */
    this.cursor = null;
    this.cell = 20;
    this.rowH = 20;
    this.rows = 0;
    /** @type {readonly string[]|null} */
    this.rowLabels = null;
    /** @type {number|undefined} when the readout was last written (performance.now()) */
    this.described = undefined;
    /** @type {number|undefined} the signed modes' colour scale */
    this.scaleValue = undefined;
    /** @type {Palette|undefined} the palette the labels were drawn in */
    this.colours = undefined;
    /**
     * The layers kept between frames: the labels, and the rows×V image of the colours.
     * @type {{labels: OffscreenCanvas, pixels: ImageData, pixelCanvas: OffscreenCanvas}|null}
     */
    this.layers = null;
    // The box the canvas scrolls sideways in when its cells are wider than the page.
    this.box = document.createElement('div');
    this.box.className = 'heat-scroll';
    canvas.before(this.box);
    this.box.append(canvas);
    canvas.addEventListener('mousemove', (e) => this.pick(this.cellAt(e)));
    canvas.addEventListener('pointerdown', (e) => this.pick(this.cellAt(e))); // a tap reads the cell out
    canvas.addEventListener('mouseleave', () => this.pick(null));
    canvas.addEventListener('focus', () => this.pick(this.cursor ?? [0, 0]));
    canvas.addEventListener('blur', () => this.pick(null));
    canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /**
   * @param {MouseEvent} event
   * @returns {[number, number]|null} the cell under the pointer
   */
  cellAt(event) {
    const rect = this.canvas.getBoundingClientRect();
    const col = Math.floor((event.clientX - rect.left) / this.cell) - 1;
    const row = Math.floor((event.clientY - rect.top - this.cell) / this.rowH);
    const v = this.vocab.length;
    return row >= 0 && col >= 0 && row < this.rows && col < v ? [row, col] : null;
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    /** @type {Record<string, [number, number]|undefined>} */
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const v = this.vocab.length;
    const [r, c] = this.cursor ?? [0, 0];
    const col = Math.min(v - 1, Math.max(0, c + move[1]));
    this.pick([Math.min(this.rows - 1, Math.max(0, r + move[0])), col]);
    // Scrolled sideways: the box follows the cursor, keeping a column of room either side.
    const { box, cell } = this;
    const [left, right] = [cell * col, cell * (col + 3)];
    if (left < box.scrollLeft) box.scrollLeft = left;
    else if (right > box.scrollLeft + box.clientWidth) box.scrollLeft = right - box.clientWidth;
  }

  /** @param {[number, number]|null} cell the cell picked, or null for none */
  pick(cell) {
    this.cursor = cell ?? (document.activeElement === this.canvas ? this.cursor : null);
    this.describe(true);
    if (this.values?.length) this.draw(this.values, this.vocab, this.mode, { rowLabels: this.rowLabels });
  }

  /**
   * Writes the picked cell as text. The readout is a live region: while training redraws
   * every frame it is rewritten at most once a second, unless `now` (the cursor moved).
   * @param {boolean} [now]
   */
  describe(now = false) {
    if (!now && performance.now() - (this.described ?? 0) < 1000) return;
    this.described = performance.now();
    // A view whose wasm memory grew has gone dead (length 0): wait for the next draw.
    if (!this.cursor || !this.values || this.values.length === 0) {
      this.readout.textContent = '\u00a0';
      return;
    }
    const [r, c] = this.cursor;
    const p = this.values[r * this.vocab.length + c];
    const scale = MODES[this.mode].scaled ? `; colour scale ±${prec(this.scaleValue ?? 0)}` : '';
    const rowName = this.rowLabels ? this.rowLabels[r] : label(this.vocab[r]);
    this.readout.textContent = MODES[this.mode].text(rowName, label(this.vocab[c]), p) + scale;
    this.readout.dataset.value = String(p);
  }

  /**
   * Redraws the table. Only the colours change from frame to frame, so they go into a
   * rows×V image scaled up in one call; the labels are drawn once into a layer of their
   * own and laid on top.
   * @param {Float32Array} values rows×V row-major: probabilities, or for "diff" their
   *   differences in −1..1, or W, W.grad, ΔW
   * @param {readonly string[]} vocab the V symbols (the columns)
   * @param {HeatMode} [mode] what the values are
   * @param {{rowLabels?: readonly string[]|null}} [options] each row's name (a context such as "em"),
   *   when the rows are not the V characters; many rows are drawn scaled down
   */
  draw(values, vocab, mode = 'net', { rowLabels = null } = {}) {
    const changed = mode !== this.mode || vocab !== this.vocab || rowLabels !== this.rowLabels;
    const colours = palette();
    this.values = values;
    this.mode = mode;
    const { signed } = MODES[mode];
    const v = vocab.length;
    const rows = rowLabels ? rowLabels.length : v;
    const avail = Math.max(200, this.box.clientWidth); // the panel's content width
    const cell = Math.max(touchLayout() ? TOUCH_CELL : 6, Math.min(30, Math.floor(avail / (v + 1))));
    // Up to 60 rows at full size; more (the overview of every context) fit in 720 pixels.
    const rowH = rows <= 60 ? cell : Math.min(cell, 720 / rows);
    const width = cell * (v + 1);
    const height = Math.ceil(cell + rowH * rows);
    // The labels layer is drawn again for another table, cell size or theme.
    let layers = this.layers;
    if (!layers || vocab !== this.vocab || rowLabels !== this.rowLabels || cell !== this.cell || colours !== this.colours) {
      if (this.cursor) {
        // A smaller table may have no row or column where the cursor was.
        this.cursor = [Math.min(this.cursor[0], rows - 1), Math.min(this.cursor[1], v - 1)];
      }
      this.vocab = vocab;
      this.rowLabels = rowLabels;
      this.rows = rows;
      this.cell = cell;
      this.rowH = rowH;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
      this.colours = colours;
      layers = {
        labels: this.drawLabels(vocab, rowLabels, cell, rowH, width, height, colours),
        pixels: new ImageData(v, rows),
        pixelCanvas: new OffscreenCanvas(v, rows),
      };
      this.layers = layers;
    }
    // Signed tables are scaled to their largest |value|; probabilities are absolute.
    const largest = maxAbs(values);
    const scale = signed ? Math.max(1e-12, largest) : 1;
    this.scaleValue = signed ? largest : 1;
    this.canvas.dataset.scale = String(this.scaleValue);
    this.canvas.dataset.rows = String(rows);
    if (this.scaleText) {
      const { rampWords } = colours;
      this.scaleText.textContent = signed
        ? (largest > 0 ? `Colour scale ±${prec(largest)}: blue above 0, red below, ${rampWords.zero} 0.` : 'Every cell is 0.')
        : `Colour ∝ √p, from 0 (${rampWords.zero}) to 1 (${rampWords.full}).`;
    }
    fillPixels(values, scale, signed, layers.pixels.data, colours);
    offscreen2d(layers.pixelCanvas).putImageData(layers.pixels, 0, 0);
    const ctx = fitCanvas(this.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(layers.pixelCanvas, cell, cell, v * cell, rows * rowH);
    ctx.drawImage(layers.labels, 0, 0, width, height);
    if (this.cursor) {
      const [r, c] = this.cursor;
      ctx.strokeStyle = colours.mark;
      ctx.lineWidth = rowH >= 6 ? 3 : 2;
      ctx.strokeRect(cell * (c + 1) + 1.5, cell + rowH * r + (rowH >= 6 ? 1.5 : -2), cell - 3, Math.max(rowH - 3, 4));
    }
    this.describe(changed);
  }

  /**
   * The axis labels and, when the cells are big enough, each cell's name.
   * @param {readonly string[]} vocab
   * @param {readonly string[]|null} rowLabels
   * @param {number} s a cell's width (and the labels' margin)
   * @param {number} rowH a row's height
   * @param {number} width
   * @param {number} height
   * @param {Palette} colours
   * @returns {OffscreenCanvas}
   */
  drawLabels(vocab, rowLabels, s, rowH, width, height, colours) {
    const dpr = window.devicePixelRatio || 1;
    const layer = new OffscreenCanvas(Math.round(width * dpr), Math.round(height * dpr));
    const ctx = offscreen2d(layer);
    ctx.scale(dpr, dpr);
    const v = vocab.length;
    const names = rowLabels ?? vocab.map(label);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `${Math.max(7, Math.floor(s * 0.55))}px ui-monospace, Menlo, monospace`;
    ctx.fillStyle = colours.ink;
    for (let i = 0; i < v; i++) ctx.fillText(label(vocab[i]), s * (i + 1.5), s / 2);
    if (rowH === s) {
      ctx.font = `${Math.max(7, Math.floor(s * (names[0]?.length > 1 ? 0.4 : 0.55)))}px ui-monospace, Menlo, monospace`;
      names.forEach((name, r) => ctx.fillText(name, s / 2, s + rowH * (r + 0.5)));
    } else {
      // Scaled down: a label for each group of rows tall enough to read (the leading
      // characters the group shares), and a rule between groups.
      const chars = [...names[0]].length;
      let group = 1;
      let shared = chars;
      while (group * rowH < 12 && shared > 0) {
        group *= v;
        shared -= 1;
      }
      ctx.font = '9px ui-monospace, Menlo, monospace';
      ctx.textAlign = 'right';
      ctx.strokeStyle = colours.halo;
      for (let r = 0; r < names.length; r += group) {
        ctx.fillText(`${[...names[r]].slice(0, shared).join('')}…`, s - 2, s + rowH * (r + group / 2));
        ctx.beginPath();
        ctx.moveTo(s, s + rowH * r);
        ctx.lineTo(s * (v + 1), s + rowH * r);
        ctx.stroke();
      }
    }
    if (s >= 18 && rowH === s) {
      // Text with a halo of the ground's colour reads on every cell colour.
      ctx.textAlign = 'center';
      // Two characters fill 0.4 of a small cell; a large one (a projector's) has room for
      // 0.45, which makes its labels 12 px and more from 27 px cells.
      const share = names[0]?.length > 1 ? 0.3 : s >= 26 ? 0.45 : 0.4;
      ctx.font = `${Math.max(7, Math.floor(s * share))}px ui-monospace, Menlo, monospace`;
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = colours.halo;
      for (let r = 0; r < names.length; r++) {
        for (let c = 0; c < v; c++) {
          const text = names[r] + label(vocab[c]);
          ctx.strokeText(text, s * (c + 1.5), s + rowH * (r + 0.5));
          ctx.fillText(text, s * (c + 1.5), s + rowH * (r + 0.5));
        }
      }
    }
    return layer;
  }
}
