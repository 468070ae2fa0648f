//! Typed SSDA903 records, as the indicators use them. Codes are kept as upper-case text: an unknown
//! code is reported, not refused, and still flows through to the child-level lists.

use chrono::NaiveDate;
use std::fmt;

/// Short text (a child identifier, an authority, a postcode): inline up to 24 bytes (12 in
/// wasm32), so copying a record or a child row does not allocate.
pub type Text = compact_str::CompactString;

/// A code (PLACE, LS, REC, ...) in eight bytes, compared as one number.
///
/// Every code of the SSDA903 guide has at most 6 characters and is kept exactly. A longer value
/// (only ever an unknown code, already reported with its whole text when the row was read) keeps
/// its first 4 bytes to show, followed by "…", and a 24-bit hash of the whole value, so that two
/// different long values are still told apart (unless their hashes collide: 1 in 16 million).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Code([u8; 8]);

/// Marks a shortened value in byte 4: 0xFF never occurs in UTF-8 text.
const LONG: u8 = 0xFF;

// Eight bytes worked on at once, one per byte of a `u64` (first byte lowest).
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Up to 8 bytes as one number, first byte lowest (the rest zero); `None` for more. Without a
/// loop: 4 to 8 bytes are the first four and the last four, overlapping in the middle.
#[inline]
fn word(bytes: &[u8]) -> Option<u64> {
    let four = |b: &[u8; 4]| u64::from(u32::from_le_bytes(*b));
    match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        (Some(first), Some(last)) if bytes.len() <= 8 => {
            Some(four(first) | four(last) << (8 * (bytes.len() - 4)))
        }
        (Some(_), _) => None,
        _ => Some(
            bytes
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b)),
        ),
    }
}

/// For a word of ASCII bytes: the high bit of each byte that is at least `x`. For ASCII bytes
/// (high bit clear), `(b | 0x80) - x` keeps the high bit iff b >= x, and never borrows from the
/// next byte.
#[inline]
fn at_least(word: u64, x: u8) -> u64 {
    (word | HIGH).wrapping_sub(ONES * u64::from(x)) & HIGH
}

/// For a word of ASCII bytes: the high bit of each byte that is a lower-case letter.
#[inline]
fn lower_case(word: u64) -> u64 {
    at_least(word, b'a') & !at_least(word, b'z' + 1)
}

/// Whether `text` is ASCII with no lower-case letter, so that upper-casing leaves it as it is.
/// Eight bytes at a time: most values (identifiers, postcodes) are one or two words.
pub fn is_upper_ascii(text: &str) -> bool {
    text.as_bytes()
        .chunks(8)
        .all(|chunk| word(chunk).is_some_and(|w| w & HIGH == 0 && lower_case(w) == 0))
}

impl Code {
    /// A code written in the program: at most 8 bytes, checked when it is compiled.
    pub const fn lit(text: &str) -> Code {
        let bytes = text.as_bytes();
        assert!(bytes.len() <= 8, "a code literal has at most 8 bytes");
        let mut out = [0u8; 8];
        let mut i = 0;
        while i < bytes.len() {
            out[i] = bytes[i];
            i += 1;
        }
        Code(out)
    }

    pub fn new(text: &str) -> Code {
        let bytes = text.as_bytes();
        let mut out = [0u8; 8];
        if bytes.len() <= 8 && !bytes.contains(&0) {
            out[..bytes.len()].copy_from_slice(bytes);
            return Code(out);
        }
        let mut keep = 4;
        while !text.is_char_boundary(keep) {
            keep -= 1;
        }
        out[..keep].copy_from_slice(&bytes[..keep]);
        out[4] = LONG;
        // FNV-1a over the whole value, folded to 24 bits.
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        out[5..8].copy_from_slice(&(hash ^ (hash >> 24) ^ (hash >> 48)).to_le_bytes()[..3]);
        Code(out)
    }

    /// `text` upper-cased: [`Code::new`] of `text.to_uppercase()`, without building that string
    /// for a short ASCII value (every code of the guide).
    #[inline]
    pub fn upper(text: &str) -> Code {
        let bytes = text.as_bytes();
        if let Some(word) = word(bytes) {
            let used = match bytes.len() {
                8 => u64::MAX,
                n => (1 << (8 * n)) - 1,
            };
            let nul = !at_least(word, 1) & HIGH & used;
            if word & HIGH == 0 && nul == 0 {
                // 0x80 >> 2 is 0x20, the distance from a lower-case letter to its capital.
                return Code((word - (lower_case(word) >> 2)).to_le_bytes());
            }
        }
        Code::upper_any(text)
    }

    /// [`Code::upper`] of a long or non-ASCII value: out of line, so the usual one is read where
    /// it is called.
    #[cold]
    fn upper_any(text: &str) -> Code {
        Code::new(&text.to_uppercase())
    }

    /// As `str::starts_with` with a character (which `Deref` gives too, by first finding the
    /// code's length and checking it is UTF-8).
    pub fn starts_with(&self, c: char) -> bool {
        // A shortened value keeps at least its first character.
        c != '\0' && self.0.starts_with(c.encode_utf8(&mut [0; 4]).as_bytes())
    }

    /// Whether the value was longer than 8 bytes (shown shortened).
    pub fn is_shortened(&self) -> bool {
        self.0[4] == LONG
    }

    /// The code; for a shortened value, its first characters (without the "…").
    pub fn as_str(&self) -> &str {
        let end = if self.is_shortened() {
            4
        } else {
            self.0.iter().position(|&b| b == 0).unwrap_or(8)
        };
        let shown = &self.0[..end];
        // Only whole characters are ever stored; a prefix cut at a boundary is valid UTF-8.
        std::str::from_utf8(shown)
            .unwrap_or_default()
            .trim_end_matches('\0')
    }

    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }

    /// The code as a number: equal codes, equal numbers.
    fn key(text: &str) -> Option<[u8; 8]> {
        let bytes = text.as_bytes();
        (bytes.len() <= 8).then(|| {
            let mut out = [0u8; 8];
            out[..bytes.len()].copy_from_slice(bytes);
            out
        })
    }
}

/// A list of codes (the known codes of a column), in the order the guide lists them, with a
/// table that tells in one step whether a code is one of them.
///
/// The table is a perfect hash made when the program is compiled: a multiplier is tried until
/// every listed code lands in a slot of its own (the top 6 bits of the code's number times the
/// multiplier), so a look-up is one multiplication and one comparison, whatever the list's length.
pub struct CodeSet {
    /// The codes, in the guide's order (for messages).
    pub listed: &'static [Code],
    multiplier: u64,
    /// Each listed code's number at its slot; [`CodeSet::FREE`] elsewhere.
    slots: [u64; 64],
}

impl CodeSet {
    /// An empty slot: no code's first byte is 0xFF, which never occurs in UTF-8 text.
    const FREE: u64 = u64::MAX;

    /// `listed` (at most 32 codes, none twice) with its table.
    pub const fn new(listed: &'static [Code]) -> CodeSet {
        assert!(listed.len() <= 32, "a longer list needs a larger table");
        // Odd multipliers from a fixed sequence, so the table is the same at every build.
        let mut multiplier = 0x9E37_79B9_7F4A_7C15;
        loop {
            let mut slots = [CodeSet::FREE; 64];
            let mut i = 0;
            while i < listed.len() {
                let key = u64::from_le_bytes(listed[i].0);
                let slot = CodeSet::slot(key, multiplier);
                assert!(slots[slot] != key, "a code listed twice");
                if slots[slot] != CodeSet::FREE {
                    break;
                }
                slots[slot] = key;
                i += 1;
            }
            if i == listed.len() {
                return CodeSet {
                    listed,
                    multiplier,
                    slots,
                };
            }
            multiplier = multiplier
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407)
                | 1;
        }
    }

    const fn slot(key: u64, multiplier: u64) -> usize {
        (key.wrapping_mul(multiplier) >> 58) as usize
    }

    /// Whether `code` is one of the list.
    #[inline]
    pub fn contains(&self, code: Code) -> bool {
        let key = u64::from_le_bytes(code.0);
        self.slots[CodeSet::slot(key, self.multiplier)] == key
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        !other.as_bytes().contains(&0) && Code::key(other) == Some(self.0)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.is_shortened() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl From<&str> for Code {
    fn from(text: &str) -> Code {
        Code::new(text)
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a record came from: the index of its file in the input and its spreadsheet row (32 bits
/// each, so that a record carries 8 bytes for it, not 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    pub file: u32,
    pub row: u32,
}

/// One row of the Episodes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub child: Text,
    pub decom: NaiveDate,
    pub rne: Code,
    pub ls: Code,
    pub cin: Code,
    pub place: Code,
    pub place_provider: Code,
    pub dec: Option<NaiveDate>,
    pub rec: Code,
    pub reason_place_change: Code,
    /// Where the child was placed: a 64-bit fingerprint of the URN and the postcode (PL_POST),
    /// upper-cased (`schema::placed_at`). They are only ever compared, never shown: whether two
    /// episodes are at the same placement, or are the same row. A number rather than their text
    /// is 16 bytes less an episode natively, and no allocation of its own in the page's wasm,
    /// where a text of over 12 bytes has one (a million at 1M episodes); two different pairs
    /// share a fingerprint with a chance of about 1 in 10^19.
    pub placed_at: u64,
    /// Local authority (an `LA` column, or the authority the user gave the file); may be empty.
    pub la: Text,
    pub source: Source,
}

impl Episode {
    /// Same content, wherever it came from (for de-duplicating annual files).
    pub fn same_content(&self, other: &Episode) -> bool {
        fn key(e: &Episode) -> impl PartialEq + '_ {
            (
                &e.la,
                (
                    &e.child,
                    e.decom,
                    &e.rne,
                    &e.ls,
                    &e.cin,
                    &e.place,
                    &e.place_provider,
                    e.dec,
                    &e.rec,
                    &e.reason_place_change,
                    &e.placed_at,
                ),
            )
        }
        key(self) == key(other)
    }

    /// Placed for adoption: PLACE A3, A4, A5 or A6.
    pub fn is_adoptive_placement(&self) -> bool {
        const ADOPTIVE: [Code; 4] = [
            Code::lit("A3"),
            Code::lit("A4"),
            Code::lit("A5"),
            Code::lit("A6"),
        ];
        ADOPTIVE.contains(&self.place)
    }

    /// Short-break legal status (V3 agreed series, V4 short-term break agreements only).
    pub fn is_short_break(&self) -> bool {
        self.ls == Code::lit("V3") || self.ls == Code::lit("V4")
    }
}

/// One row of the Header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildHeader {
    pub child: Text,
    pub sex: Code,
    pub dob: Option<NaiveDate>,
    pub ethnic: Code,
    /// Optional local `DISABLED` column (Y/N).
    pub disabled: Option<bool>,
    /// Optional local `SIBLING_GROUP` column (Y/N): placed for adoption with siblings.
    pub sibling_group: Option<bool>,
    pub la: Text,
    pub source: Source,
}

/// One row of AD1 (children adopted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    pub child: Text,
    pub date_int: Option<NaiveDate>,
    pub date_match: Option<NaiveDate>,
    /// `FOSTER_CARE` = 1: adopted by former foster carer(s). `None` when blank or unreadable.
    pub foster_care: Option<bool>,
    /// Optional local `SIBLING_GROUP` column (Y/N).
    pub sibling_group: Option<bool>,
    pub la: Text,
    pub source: Source,
}

/// One row of PlacedAdoption ("should be placed for adoption" decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementDecision {
    pub child: Text,
    pub date_placed: NaiveDate,
    pub date_placed_ceased: Option<NaiveDate>,
    pub reason_placed_ceased: Code,
    pub la: Text,
    pub source: Source,
}

/// Mainstream foster carers or connected persons (family and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CarerType {
    Mainstream,
    Connected,
}

/// One row of the local `carers.csv`: a fostering household that made an enquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carer {
    pub id: Text,
    pub carer_type: CarerType,
    pub enquiry: Option<NaiveDate>,
    pub application: Option<NaiveDate>,
    pub stage2: Option<NaiveDate>,
    pub approval: Option<NaiveDate>,
    pub approved_places: Option<u32>,
    pub deregistration: Option<NaiveDate>,
    pub deregistration_reason: Code,
    pub la: Text,
    pub source: Source,
}

/// One row of the local `adopters.csv`: a prospective adoptive family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopter {
    pub id: Text,
    pub enquiry: Option<NaiveDate>,
    pub application: Option<NaiveDate>,
    pub stage2: Option<NaiveDate>,
    pub approval: Option<NaiveDate>,
    pub matched: Option<NaiveDate>,
    pub withdrawn: Option<NaiveDate>,
    pub la: Text,
    pub source: Source,
}

/// Every usable record of every file, before stitching.
#[derive(Debug, Default, Clone)]
pub struct Records {
    pub headers: Vec<ChildHeader>,
    pub episodes: Vec<Episode>,
    pub adoptions: Vec<Adoption>,
    pub decisions: Vec<PlacementDecision>,
    pub carers: Vec<Carer>,
    pub adopters: Vec<Adopter>,
}

impl Records {
    /// How many records of each kind there are, for [`Records::truncate`].
    pub fn lens(&self) -> [usize; 6] {
        [
            self.headers.len(),
            self.episodes.len(),
            self.adoptions.len(),
            self.decisions.len(),
            self.carers.len(),
            self.adopters.len(),
        ]
    }

    /// Back to the records there were when [`Records::lens`] was taken.
    pub fn truncate(&mut self, lens: [usize; 6]) {
        self.headers.truncate(lens[0]);
        self.episodes.truncate(lens[1]);
        self.adoptions.truncate(lens[2]);
        self.decisions.truncate(lens[3]);
        self.carers.truncate(lens[4]);
        self.adopters.truncate(lens[5]);
    }

    /// Moves every record of `more` to the end of these, leaving `more` empty (with its room).
    pub fn append(&mut self, more: &mut Records) {
        self.headers.append(&mut more.headers);
        self.episodes.append(&mut more.episodes);
        self.adoptions.append(&mut more.adoptions);
        self.decisions.append(&mut more.decisions);
        self.carers.append(&mut more.carers);
        self.adopters.append(&mut more.adopters);
    }

    /// Room for `rows` more records of the table `kind`.
    pub fn reserve(&mut self, kind: crate::schema::TableKind, rows: usize) {
        use crate::schema::TableKind;
        match kind {
            TableKind::Episodes => self.episodes.reserve(rows),
            TableKind::Header => self.headers.reserve(rows),
            TableKind::Ad1 => self.adoptions.reserve(rows),
            TableKind::PlacedAdoption => self.decisions.reserve(rows),
            TableKind::Carers => self.carers.reserve(rows),
            TableKind::Adopters => self.adopters.reserve(rows),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_upper_ascii, Code, CodeSet};

    #[test]
    fn codes_are_kept_exactly_up_to_eight_bytes() {
        for text in ["", "A3", "E11", "CUSTOD", "SC790661", "É1"] {
            let c = Code::new(text);
            assert_eq!(c.as_str(), text);
            assert_eq!(c.to_string(), text);
            assert!(c == text);
            assert!(!c.is_shortened());
        }
        assert!(Code::new("").is_empty());
        assert!(Code::new("A3") != "A");
        assert!(Code::new("A") != "A3");
        assert!(Code::new("A3") < Code::new("A4"));
    }

    /// `Code::upper` is `Code::new` of the upper-cased text, whatever the bytes.
    #[test]
    fn upper_cases_as_to_uppercase_does() {
        let mut texts: Vec<String> = [
            "",
            "a3",
            "e4a",
            "wbri",
            "Mwbc",
            "sc790661",
            "sc7906612",
            "é1",
        ]
        .map(String::from)
        .to_vec();
        // Every ASCII byte (NUL, '@', '[', '`', '{', DEL next to the letters), at every place.
        for b in 0..=127u8 {
            for at in 0..8 {
                let mut t = vec![b'x'; 8];
                t[at] = b;
                texts.push(String::from_utf8(t[..=at].to_vec()).unwrap());
                texts.push(String::from_utf8(t).unwrap());
            }
        }
        for text in &texts {
            assert_eq!(
                Code::upper(text),
                Code::new(&text.to_uppercase()),
                "{text:?}"
            );
        }
    }

    /// `is_upper_ascii` is whether upper-casing leaves an ASCII text as it is, at every length.
    #[test]
    fn upper_ascii_is_as_to_uppercase_says() {
        let mut texts: Vec<String> = ["", "S0001", "QF17 6QQ", "é1", "ÉCOLE"]
            .map(String::from)
            .to_vec();
        for b in 0..=127u8 {
            for len in 1..=17 {
                for at in [0, len / 2, len - 1] {
                    let mut t = vec![b'X'; len];
                    t[at] = b;
                    texts.push(String::from_utf8(t).unwrap());
                }
            }
        }
        for text in &texts {
            let unchanged = text.is_ascii() && text.to_uppercase() == *text;
            assert_eq!(is_upper_ascii(text), unchanged, "{text:?}");
        }
    }

    /// A set holds its codes and nothing else: not a blank, a prefix, a lower-case or a long value.
    #[test]
    fn code_sets_hold_exactly_their_codes() {
        static PLACES: CodeSet = CodeSet::new(&[
            Code::lit("A3"),
            Code::lit("A4"),
            Code::lit("A5"),
            Code::lit("A6"),
            Code::lit("H5"),
            Code::lit("K1"),
            Code::lit("K2"),
            Code::lit("K3"),
            Code::lit("P1"),
            Code::lit("P2"),
            Code::lit("P3"),
            Code::lit("R1"),
            Code::lit("R2"),
            Code::lit("R3"),
            Code::lit("R5"),
            Code::lit("S1"),
            Code::lit("T0"),
            Code::lit("T1"),
            Code::lit("T2"),
            Code::lit("T3"),
            Code::lit("T4"),
            Code::lit("U1"),
            Code::lit("U2"),
            Code::lit("U3"),
            Code::lit("U4"),
            Code::lit("U5"),
            Code::lit("U6"),
            Code::lit("Z1"),
            Code::lit("Q1"),
            Code::lit("Q2"),
            Code::lit("E4A"),
            Code::lit("WBRI"),
        ]);
        let mut candidates: Vec<Code> = ["", "A", "A33", "a3", "WBR", "WBRIX", "PLACEMENT"]
            .map(Code::new)
            .to_vec();
        for a in b' '..=b'~' {
            for b in b' '..=b'~' {
                candidates.push(Code::new(std::str::from_utf8(&[a, b]).unwrap()));
            }
        }
        candidates.extend(PLACES.listed);
        for code in candidates {
            assert_eq!(
                PLACES.contains(code),
                PLACES.listed.contains(&code),
                "{code}"
            );
        }
    }

    #[test]
    fn starts_with_as_str_does() {
        for text in ["", "T0", "T", "U1", "É1", "PLACEMENT"] {
            let code = Code::new(text);
            for c in ['T', 'É', 'P', '\0'] {
                assert_eq!(
                    code.starts_with(c),
                    code.as_str().starts_with(c),
                    "{text} {c}"
                );
            }
        }
    }

    #[test]
    fn longer_values_are_shown_shortened_and_told_apart() {
        let a = Code::new("PLACEMENT1");
        let b = Code::new("PLACEMENT2");
        assert!(a.is_shortened());
        assert_eq!(a.to_string(), "PLAC…");
        assert_eq!(a.as_str(), "PLAC");
        assert_ne!(a, b);
        assert_eq!(a, Code::new("PLACEMENT1"));
        assert!(a != "PLACEMENT1", "a shortened value equals no known code");
        assert!(a != "PLAC");
        // A character is never cut in half: "ÉÉÉ" is 6 bytes, the first 4 are two whole "É".
        assert_eq!(Code::new("ÉÉÉÉÉ").to_string(), "ÉÉ…");
        assert_eq!(Code::new("AÉÉÉÉ").to_string(), "AÉ…");
    }
}
