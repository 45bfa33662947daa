// Strips of cells: a vector drawn as V coloured cells with the characters beneath, each
// cell reading out as the lecture prints it (hover, tap, or focus and ← →). The explorer's
// graph is made of them; this module draws them and keeps each one's cursor.

import { fitCanvas, label, css, maxAbs, palette } from './draw.js';
import { short as fmt } from '../lib/format.js';

/**
 * A strip as last drawn: how many cells (as wide as each other), how cell j reads (text,
 * value), and how to draw it again (with its cursor where it is now).
 * @typedef {{n: number, read: (j: number) => [string, number], redraw: () => void}} Drawn
 */


/**
 * The width a canvas may take: its container's, less a margin. Read once per container
 * and kept until `Explorer.resized()`: reading it after the last frame's writes would make
 * the browser lay the whole page out again, once per canvas, every training frame.
 */
/** @type {WeakMap<HTMLElement, number>} */
let widths = new WeakMap();
/**
 * @param {HTMLCanvasElement} canvas
 * @param {number} [margin]
 * @returns {number}
 */
export function available(canvas, margin = 8) {
  const parent = canvas.parentElement;
  if (!parent) return 600 - margin;
  const known = widths.get(parent);
  if (known !== undefined) return known - margin;
  const width = parent.clientWidth;
  if (width > 0) widths.set(parent, width); // a hidden panel's 0 is not its width
  return width - margin;
}

/**
 * One vector as a strip of V cells with the characters beneath; `mark` outlines a cell.
 * The values also go into data-values (JSON) and a spoken summary.
 * @param {HTMLCanvasElement} canvas
 * @param {string} name what the vector is, for the spoken summary
 * @param {number[]} values V of them
 * @param {readonly string[]} vocab
 * @param {{signed?: boolean, mark?: number, scale?: number, json?: boolean, cursor?: number}} [options]
 *   a diverging ramp; the cell outlined (−1: none); the colour scale (default: the
 *   largest |value|); whether the values go into data-values; the cell read out (−1: none)
 */
export function drawStrip(canvas, name, values, vocab, { signed = false, mark = -1, scale: given, json = true, cursor = -1 } = {}) {
  const colours = palette();
  const v = vocab.length;
  const avail = Math.max(160, available(canvas));
  // 4 px at the least: a side-by-side row of 81 cells still fits a phone (its readout names each cell).
  const cell = Math.max(4, Math.min(36, Math.floor(avail / v)));
  const [w, h] = [cell * v, cell + 18];
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  const scale = given ?? maxAbs(values);
  canvas.dataset.scale = String(scale);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = `${Math.max(8, Math.min(13, cell * 0.6))}px ui-monospace, Menlo, monospace`;
  for (let i = 0; i < v; i++) {
    ctx.fillStyle = css(values[i], scale, signed, colours);
    ctx.fillRect(i * cell, 0, cell - 1, cell);
    ctx.fillStyle = i === mark ? colours.mark : colours.ink;
    ctx.fillText(i === mark ? `▲${label(vocab[i])}` : label(vocab[i]), i * cell + cell / 2, cell + 3);
  }
  if (mark >= 0) {
    ctx.strokeStyle = colours.mark;
    ctx.lineWidth = 3;
    ctx.strokeRect(mark * cell + 1.5, 1.5, cell - 4, cell - 3);
  }
  if (cursor >= 0) { // the cell read out: a dashed ink outline, its label underlined
    ctx.strokeStyle = ctx.fillStyle = colours.ink;
    ctx.lineWidth = 2;
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(cursor * cell + 1, 1, cell - 3, cell - 2);
    ctx.setLineDash([]);
    ctx.fillRect(cursor * cell + 2, h - 2, cell - 5, 2);
    canvas.dataset.cursor = String(cursor);
  } else delete canvas.dataset.cursor;
  if (json) canvas.dataset.values = JSON.stringify(Array.from(values));
  else delete canvas.dataset.values;
  let top = 0;
  values.forEach((x, i) => { if (x > values[top]) top = i; });
  const marked = mark >= 0 ? `; “${label(vocab[mark])}” ${fmt(values[mark])}` : '';
  canvas.setAttribute('aria-label', `${name}: largest “${label(vocab[top])}” ${fmt(values[top])}${marked}; ← → read each cell`);
}

/** Strips whose cells read out, each as last drawn, with the cell each has under its cursor. */
export class Strips {
  /** The page's layout changed (a resize, a view): the containers' widths are read again. */
  resized() {
    widths = new WeakMap();
  }

  constructor() {
    /** Each strip as last drawn. @type {Map<HTMLCanvasElement, Drawn>} */
    this.drawn = new Map();
    /** The cell read out in each strip that has one. @type {Map<HTMLCanvasElement, number>} */
    this.cursors = new Map();
    /** Hears a redraw's reading of a strip's cursor cell. @type {(canvas: HTMLCanvasElement, text: string, value: number) => void} */
    this.onRead = () => {};
  }

  /**
   * Draws a strip (as `drawStrip`) whose cells read out: `text(j)` names cell j with "#" where
   * its value goes, e.g. "logits[1, 13] = #"; a cursor in it is drawn and its reading handed on.
   * @param {HTMLCanvasElement} canvas
   * @param {string} name
   * @param {number[]} values
   * @param {readonly string[]} vocab
   * @param {{signed?: boolean, mark?: number, scale?: number, json?: boolean}} options
   * @param {(j: number) => string} text
   * @param {(x: number) => string} [format] how a value is written
   */
  strip(canvas, name, values, vocab, options, text, format = fmt) {
    /** @type {(j: number) => [string, number]} */
    const read = (j) => [text(j).replace('#', format(values[j])), values[j]];
    const redraw = () => {
      const j = this.cursors.get(canvas);
      const cursor = j === undefined ? -1 : Math.min(j, values.length - 1);
      if (cursor >= 0) this.cursors.set(canvas, cursor);
      drawStrip(canvas, name, values, vocab, { ...options, cursor });
      this.drawn.set(canvas, { n: values.length, read, redraw });
      return cursor;
    };
    const cursor = redraw();
    if (cursor >= 0) this.onRead(canvas, ...read(cursor));
  }

  /**
   * Puts a strip's cursor on cell j (null: takes it away), draws it again, and gives the cell's reading.
   * @param {HTMLCanvasElement} canvas
   * @param {number | null} j
   * @returns {[string, number] | null}
   */
  point(canvas, j) {
    const strip = this.drawn.get(canvas);
    if (j === null || !strip) this.cursors.delete(canvas);
    else this.cursors.set(canvas, Math.max(0, Math.min(strip.n - 1, j)));
    strip?.redraw();
    const at = this.cursors.get(canvas);
    return strip && at !== undefined ? strip.read(at) : null;
  }

  /**
   * A strip with nothing in it: no values, no cells to read (its cursor waits).
   * @param {HTMLCanvasElement} canvas
   * @param {string} [why] what it says to a screen reader
   */
  blank(canvas, why = 'no example picked') {
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    delete canvas.dataset.values;
    delete canvas.dataset.cursor;
    this.drawn.delete(canvas);
    canvas.setAttribute('aria-label', why);
  }
}
