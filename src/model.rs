//! Typed SSDA903 records, as the indicators use them. Codes are kept as upper-case text: an unknown
//! code is reported, not refused, and still flows through to the child-level lists.

use chrono::NaiveDate;

/// Short text (a child identifier, a code, an authority): inline up to 24 bytes (12 in wasm32),
/// so copying a record or a child row does not allocate.
pub type Text = compact_str::CompactString;

/// Where a record came from: the index of its file in the input and its spreadsheet row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    pub file: usize,
    pub row: u32,
}

/// One row of the Episodes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub child: Text,
    pub decom: NaiveDate,
    pub rne: Text,
    pub ls: Text,
    pub cin: Text,
    pub place: Text,
    pub place_provider: Text,
    pub dec: Option<NaiveDate>,
    pub rec: Text,
    pub reason_place_change: Text,
    pub pl_post: Text,
    pub urn: Text,
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
                    &e.pl_post,
                    &e.urn,
                ),
            )
        }
        key(self) == key(other)
    }

    /// Placed for adoption: PLACE A3, A4, A5 or A6.
    pub fn is_adoptive_placement(&self) -> bool {
        matches!(self.place.as_str(), "A3" | "A4" | "A5" | "A6")
    }

    /// Short-break legal status (V3 agreed series, V4 short-term break agreements only).
    pub fn is_short_break(&self) -> bool {
        matches!(self.ls.as_str(), "V3" | "V4")
    }
}

/// One row of the Header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildHeader {
    pub child: Text,
    pub sex: Text,
    pub dob: Option<NaiveDate>,
    pub ethnic: Text,
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
    pub reason_placed_ceased: Text,
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
    pub deregistration_reason: Text,
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
