// The CSV the page saves: every field quoted, none readable as a spreadsheet formula.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, tableCsv } from '../../www/lib/exporters.js';

test('fields are quoted, quotes doubled, formulas defused', () => {
  assert.equal(csvField('a'), '"a"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    assert.equal(csvField(`${start}1`), `"'${start}1"`);
  }
  assert.equal(csvField('.'), '"."');
});

test('a table has a header of next characters and a row per current one', () => {
  const csv = tableCsv(new Float32Array([0.25, 0.75, 1, 0]), ['.', '=']);
  assert.equal(csv, '"",".","\'="\r\n".",0.25,0.75\r\n"\'=",1,0\r\n');
});
