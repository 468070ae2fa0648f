// www/pieces.js under Node: an upload as the engine reads it, a piece at a time. The browser tests
// (tests/browser/workbooks.test.mjs) upload real files through the page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inPieces, inPiecesOf } from '../../www/pieces.js';

const bytes = (text) => new TextEncoder().encode(text);
const text = (piece) => new TextDecoder().decode(piece);

test('an upload read ahead is given in views of its bytes, cut at its end', () => {
  const buffer = bytes('CHILD,DECOM\nC1,01/04/2014\n').buffer; // 26 bytes
  const file = inPiecesOf('episodes.csv', buffer);
  assert.equal(file.name, 'episodes.csv');
  assert.equal(file.size, 26);
  assert.equal(text(file.read(0, 12)), 'CHILD,DECOM\n');
  assert.equal(text(file.read(12, 1 << 20)), 'C1,01/04/2014\n', 'the last piece stops at the end');
  assert.equal(file.read(26, 40).length, 0, 'nothing after the end');
  // Views, not copies: the engine copies each piece itself.
  assert.equal(file.read(0, 5).buffer, buffer);
  // Read again from the start, as the engine does when a file must be read whole after all.
  assert.equal(text(file.read(0, 26)), 'CHILD,DECOM\nC1,01/04/2014\n');
});

test('an upload read a piece at a time gives back each piece when the next is asked for', () => {
  const blob = { size: 10 };
  const asked = [];
  const file = inPieces('header.csv', blob, (start, end) => {
    asked.push([start, end]);
    return new Uint8Array(new ArrayBuffer(end - start));
  });
  assert.equal(file.size, 10);
  const first = file.read(0, 4);
  assert.equal(first.length, 4);
  const second = file.read(4, 10);
  // ArrayBuffer.prototype.transfer: Chromium 114 on, Node 21 on (not Node 20, where nothing is given back).
  if (ArrayBuffer.prototype.transfer) {
    assert.equal(first.buffer.detached, true, "the first piece's memory is given back");
    assert.equal(first.length, 0);
  }
  assert.equal(second.length, 6);
  assert.deepEqual(asked, [
    [0, 4],
    [4, 10],
  ]);
});
