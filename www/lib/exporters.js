// What the page saves as files: a download helper and the table as CSV. The text
// builders are pure (no DOM), so `node --test` checks them.

/**
 * Saves a blob as a file the browser downloads.
 * @param {Blob} blob
 * @param {string} name the file's name
 */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a little later: the download starts asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A CSV field: quoted, and never read as a formula by a spreadsheet.
 * @param {string} text
 * @returns {string}
 */
export function csvField(text) {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/**
 * A V×V table as CSV: a header of next characters, then a row per current character.
 * @param {Float32Array|number[]} values row-major
 * @param {string[]} vocab
 */
export function tableCsv(values, vocab) {
  const v = vocab.length;
  const lines = [['', ...vocab].map(csvField).join(',')];
  for (let r = 0; r < v; r++) {
    lines.push([csvField(vocab[r]), ...Array.from(values.slice(r * v, (r + 1) * v), String)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
