//! Bytes -> text. UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when every other
//! byte is zero), and Windows-1252, which Excel writes for "CSV" on Windows. Windows-1252 differs
//! from Latin-1 only in 0x80-0x9F, so a 32-entry table does it; a general encoding crate would bring
//! every encoding's tables into the wasm.

use std::borrow::Cow;

/// Decodes a file's bytes, or `None` when they are not text: a known binary format, a NUL in the
/// first line, or a start thick with control bytes. NUL characters further in are kept, for the
/// reader to remove and report cell by cell.
pub fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_or_1252(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(Cow::Owned);
    }
    if let Some(word) = utf16_without_bom(bytes) {
        return utf16(bytes, word).map(Cow::Owned);
    }
    utf8_or_1252(bytes)
}

/// Where the text of a file starting with `head` begins (after a UTF-8 byte-order mark), when
/// [`decode`] may read it as UTF-8; `None` when it would read it as UTF-16 or not as text. `head`
/// holds the file's first line whole and its first 1,027 bytes, or the whole file.
pub fn utf8_start(head: &[u8]) -> Option<usize> {
    if let Some(rest) = head.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (!looks_binary(rest)).then_some(3);
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(head).is_some();
    (!utf16 && !looks_binary(head)).then_some(0)
}

/// Images, PDFs and archives, by their first bytes.
const BINARY_MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"\xFF\xD8\xFF",
    b"GIF8",
    b"%PDF",
    b"\x1F\x8B",
    b"7z\xBC\xAF",
    b"Rar!",
];

fn looks_binary(bytes: &[u8]) -> bool {
    if BINARY_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let head = &bytes[..bytes.len().min(1024)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    first_line.contains(&0) || control * 20 > head.len()
}

/// UTF-16 saved without a byte-order mark: in mostly-ASCII text, one byte of each pair is zero.
fn utf16_without_bom(bytes: &[u8]) -> Option<fn([u8; 2]) -> u16> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zero(0), zero(1));
    if odd * 10 >= pairs * 9 && even * 10 <= pairs {
        Some(u16::from_le_bytes)
    } else if even * 10 >= pairs * 9 && odd * 10 <= pairs {
        Some(u16::from_be_bytes)
    } else {
        None
    }
}

/// UTF-8 is used where it lies (no copy); anything else is read as Windows-1252.
fn utf8_or_1252(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if looks_binary(bytes) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => Some(Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect())),
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Option<String> {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    let first_line = text.split('\n').next().unwrap_or("");
    if first_line.contains('\0') {
        None
    } else {
        Some(text)
    }
}

/// Windows-1252 code points for 0x80-0x9F; the five undefined bytes map to U+FFFD.
const HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
    '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}',
    'ž', 'Ÿ',
];

fn windows_1252(b: u8) -> char {
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBFCHILD").as_deref(), Some("CHILD"));
        assert_eq!(
            decode(b"\xA3 5 caf\xE9 \x80").as_deref(),
            Some("£ 5 café €")
        );
        assert_eq!(
            decode(&[0xFF, 0xFE, b'A', 0, b',', 0, b'B', 0]).as_deref(),
            Some("A,B")
        );
        assert_eq!(decode(&[0xFE, 0xFF, 0, b'A']).as_deref(), Some("A"));
        assert_eq!(decode(b"a\x00b"), None);
        assert_eq!(decode(b"A,B\n\x00\x01\x02\x03\x04"), None);
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n"), None);
        // A NUL further in is kept, for the reader to report at its cell.
        let mut late = b"CHILD,DECOM\n".repeat(30);
        late.extend_from_slice(b"A,\x00\n");
        assert!(decode(&late).is_some_and(|t| t.ends_with("A,\0\n")));
    }

    #[test]
    fn utf16_without_a_byte_order_mark() {
        let le: Vec<u8> = "CHILD,DEC\né"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "CHILD,DEC\né"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&le).as_deref(), Some("CHILD,DEC\né"));
        assert_eq!(decode(&be).as_deref(), Some("CHILD,DEC\né"));
    }
}
