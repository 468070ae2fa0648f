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
 * `{ name, size, read(start, end) }` over an upload already read into `chunks` (Uint8Arrays in
 * the file's order, each the whole of its ArrayBuffer, as the worker reads them ahead): a piece within one chunk is a view of it, one
 * across chunks a copy, and the engine copies it in turn. Chunks wholly before the piece asked for
 * are given back, so the upload shrinks in this worker's memory as the engine's records grow.
 * Should the engine go back to bytes already given back (it reads a file whole again when it
 * finds deep inside it something its streaming reader does not take, such as a quote),
 * `readAgain(start, end)` reads them from the file.
 *
 * The worker reads uploads ahead so when they are not too big (worker.js, engineFiles): read
 * asynchronously, a 71 MB file took about 0.1 s, where FileReaderSync, a piece at a time or
 * whole, took 0.4 s.
 */
export function inPiecesOfChunks(name, chunks, readAgain) {
  const starts = [];
  let size = 0;
  for (const chunk of chunks) {
    starts.push(size);
    size += chunk.length;
  }
  /** The first chunk still held. */
  let held = 0;
  const read = (start, end) => {
    start = Math.max(0, Math.min(start, size));
    end = Math.max(start, Math.min(end, size));
    if (start < (starts[held] ?? size)) return readAgain(start, end);
    while (held < chunks.length && starts[held] + chunks[held].length <= start) {
      giveBack(chunks[held]);
      chunks[held] = null;
      held += 1;
    }
    const first = chunks[held];
    if (!first || end <= starts[held] + first.length) return first ? first.subarray(start - starts[held], end - starts[held]) : new Uint8Array(0);
    const piece = new Uint8Array(end - start);
    for (let i = held, at = 0; at < piece.length && i < chunks.length; i++) {
      const from = Math.max(start, starts[i]) - starts[i];
      const part = chunks[i].subarray(from, Math.min(chunks[i].length, from + piece.length - at));
      piece.set(part, at);
      at += part.length;
    }
    return piece;
  };
  /** Gives back whatever is still held (the engine has moved on to the next file). */
  const release = () => {
    for (let i = held; i < chunks.length; i++) if (chunks[i]) giveBack(chunks[i]);
    chunks.fill(null);
    held = chunks.length;
  };
  return { name, size, read, release };
}

/** Frees a chunk's memory now, when it is the whole of its ArrayBuffer (as the worker's parts are). */
function giveBack(chunk) {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && !chunk.buffer.detached) chunk.buffer.transfer?.(0);
}
