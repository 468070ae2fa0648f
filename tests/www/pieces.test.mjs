// www/pieces.js under Node: an upload as the engine reads it, a piece at a time. The browser tests
// (tests/browser/workbooks.test.mjs) upload real files through the page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inPieces, inPiecesOfChunks } from '../../www/pieces.js';

const bytes = (text) => new TextEncoder().encode(text);
const text = (piece) => new TextDecoder().decode(piece);

test('an upload read ahead in chunks is given as the engine asks, and given back as it goes', () => {
  const all = 'CHILD,DECOM\nC1,01/04/2014\nC2,15/02/2015\n'; // 40 bytes
  // Chunks of 7, 13 and 20 bytes, each its own ArrayBuffer, as a stream gives them.
  const chunks = [all.slice(0, 7), all.slice(7, 20), all.slice(20)].map(bytes);
  const kept = [...chunks];
  const again = [];
  const file = inPiecesOfChunks('episodes.csv', chunks, (start, end) => {
    again.push([start, end]);
    return bytes(all.slice(start, end));
  });
  assert.equal(file.name, 'episodes.csv');
  assert.equal(file.size, 40);
  assert.equal(text(file.read(0, 5)), 'CHILD', 'within the first chunk: a view of it');
  assert.equal(file.read(0, 5).buffer, kept[0].buffer);
  assert.equal(text(file.read(5, 29)), ',DECOM\nC1,01/04/2014\nC2,', 'across three chunks: a copy');
  assert.equal(text(file.read(29, 1 << 20)), '15/02/2015\n', 'the last piece stops at the end');
  assert.equal(file.read(40, 50).length, 0, 'nothing after the end');
  // The first two chunks end before byte 29: given back (where the runtime can: Chromium, Node 21 on).
  if (ArrayBuffer.prototype.transfer) {
    assert.deepEqual(kept.map((c) => c.buffer.detached), [true, true, false]);
  }
  assert.deepEqual(again, [], 'nothing read twice so far');
  // The engine reads the file whole again (a quote deep inside): from the file, not the chunks.
  assert.equal(text(file.read(0, 40)), all);
  assert.deepEqual(again, [[0, 40]]);
  file.release();
  if (ArrayBuffer.prototype.transfer) assert.equal(kept[2].buffer.detached, true, 'the rest given back once the engine moves on');
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
