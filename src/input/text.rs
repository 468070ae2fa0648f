//! Bytes -> text. UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1252, which Excel
//! writes for "CSV" on Windows. Windows-1252 differs from Latin-1 only in 0x80-0x9F, so a 32-entry
//! table does it; a general encoding crate would bring every encoding's tables into the wasm.

/// Decodes a file's bytes, or `None` when they are not text (NUL bytes in UTF-8/1252 data).
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_or_1252(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8_or_1252(bytes)
}

fn utf8_or_1252(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(_) => Some(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Option<String> {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if text.contains('\0') {
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
    }
}
