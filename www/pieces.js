// An upload as the engine reads it (src/wasm.rs, report): its name, its size and a
// read(start, end) the engine calls for each piece, so the engine never holds the file whole.
// Used by the page's worker (worker.js) and by the bench's (bench/web/engine-worker.js), so the
// bench reads uploads as the page does.

/**
 * `{ name, size, read(start, end) }` over `blob`; `readSlice(start, end)` gives bytes start..end
 * as a Uint8Array (by default read with FileReaderSync, which only workers have). Each piece's
 * memory is given back when the next is asked for (the engine has copied it by then) rather than
 * left for the garbage collector, which, in one long call into the engine, let a 200 MB file's
 * pieces pile up.
 */
export function inPieces(name, blob, readSlice = (start, end) => new Uint8Array(new FileReaderSync().readAsArrayBuffer(blob.slice(start, end)))) {
  let piece = null;
  const read = (start, end) => {
    piece?.buffer.transfer?.(0);
    piece = readSlice(start, end);
    return piece;
  };
  return { name, size: blob.size, read };
}

/**
 * `{ name, size, read(start, end) }` over an upload already read into `buffer` (an ArrayBuffer):
 * each piece is a view of it, which the engine copies. The worker reads uploads ahead so when they
 * are not too big (worker.js, engineFiles): `Blob.arrayBuffer()` read a 71 MB file in about 0.1 s
 * where FileReaderSync, a piece at a time or whole, took 0.4 s.
 */
export function inPiecesOf(name, buffer) {
  const at = (i) => Math.max(0, Math.min(i, buffer.byteLength));
  return { name, size: buffer.byteLength, read: (start, end) => new Uint8Array(buffer, at(start), Math.max(0, at(end) - at(start))) };
}
