//! `synth`: deterministic synthetic SSDA903 ("903") data for one local authority.
//!
//! ```text
//! cargo run --release --bin synth -- --seed 1 --children 400 --first-year 2013 \
//!     --last-year 2016 --out DIR [--per-year]
//! ```
//!
//! Collection year Y runs from 1 April Y-1 to 31 March Y. Without `--per-year` the program writes one
//! full-history set (`DIR/header.csv`, `episodes.csv`, `ad1.csv`, `placed_adoption.csv`): every
//! episode of every child who is looked after at some time between 1 April of first-year - 1 and
//! 31 March of last-year (including the earlier episodes of periods that began before that). With
//! `--per-year` it writes one set per collection year (`DIR/2014/episodes.csv`, ...) the way annual
//! returns overlap:
//!
//! - episodes: every episode open at any time during the year (DECOM <= 31 March Y and DEC blank or
//!   DEC >= 1 April Y-1); an episode still open at 31 March Y has DEC and REC blank in that year's
//!   file and appears again, closed, in a later year's file;
//! - header: one row for every child with an episode in that year's file;
//! - AD1: in the year of the adoption (the DEC of the E11/E12 episode);
//! - PlacedAdoption: in the year of DATE_PLACED (a decision taken before the first year and still in
//!   force at its start goes in the first year's file), with DATE_PLACED_CEASED filled only if the
//!   decision had ceased by the end of that year; a decision that ceases in a later year is reported
//!   again, with the cease date and reason, in the year it ceased.
//!
//! Nothing is dated after 31 March of last-year: episodes open then stay open (DEC blank).
//! The output depends only on the arguments (no clock, no hash-map order). Each child has its own
//! random stream derived from the seed and its number, so `--children 500` extends the 400 children of
//! `--children 400` rather than reshuffling them.
//!
//! Stories (weights per 1000 children; each child's story is drawn independently):
//! adoption from foster care (250), adoption by the child's foster carers (60), adoption after a
//! disrupted adoptive placement (45), slow "hard to place" adoption journey, some never matched (40),
//! decision to place for adoption that ceased (RD1-RD4), then special guardianship (45), short stay
//! ending in a return home or to relatives (170, some re-enter care), medium stay ending in SGO,
//! child arrangements order, relatives or home (130), long-term care with placement moves, same-carer
//! long-term matches, residential care for teenagers and temporary moves (170), short breaks only
//! (LS V3/V4, ignored by the indicators) (60), a short period of care followed by re-entry and
//! adoption (30).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (splitmix64)
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    /// An independent stream for `stream` (a child number) under `seed`.
    fn new(seed: u64, stream: u64) -> Rng {
        let mut a = Rng(seed ^ 0x5851_F42D_4C95_7F2D);
        let s = a.next_u64();
        let mut r = Rng(s ^ stream.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`; `lo` when `hi < lo`.
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i32
    }

    /// True with probability `p` percent.
    fn pct(&mut self, p: u32) -> bool {
        self.below(100) < u64::from(p)
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|&(_, w)| u64::from(w)).sum();
        let mut x = self.below(total);
        for &(item, w) in items {
            if x < u64::from(w) {
                return item;
            }
            x -= u64::from(w);
        }
        items[items.len() - 1].0
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Dates: days since 1970-01-01 (proleptic Gregorian)
// ---------------------------------------------------------------------------------------------

type Date = i32;

fn ymd(y: i32, m: u32, d: u32) -> Date {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(z: Date) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn fmt_date(d: Date) -> String {
    let (y, m, dd) = civil(d);
    format!("{dd:02}/{m:02}/{y:04}")
}

/// Same day `n` years later (29 February becomes 1 March).
fn add_years(d: Date, n: i32) -> Date {
    let (y, m, dd) = civil(d);
    ymd(y + n, m, dd)
}

/// Whole years of age at `at`.
fn age_years(dob: Date, at: Date) -> i32 {
    let (y1, m1, d1) = civil(dob);
    let (y2, m2, d2) = civil(at);
    let mut a = y2 - y1;
    if (m2, d2) < (m1, d1) {
        a -= 1;
    }
    a
}

/// Collection year (year ending 31 March) containing `d`.
fn collection_year(d: Date) -> i32 {
    let (y, m, _) = civil(d);
    if m >= 4 {
        y + 1
    } else {
        y
    }
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Carer {
    place: &'static str,
    provider: &'static str,
    urn: String,
    post: String,
}

#[derive(Clone, Debug)]
struct Episode {
    decom: Date,
    rne: &'static str,
    ls: &'static str,
    carer: Carer,
    dec: Option<Date>,
    rec: Option<&'static str>,
    reason: &'static str,
}

#[derive(Clone, Debug)]
struct Decision {
    date_placed: Date,
    ceased: Option<(Date, &'static str)>,
}

#[derive(Clone, Debug)]
struct Adopted {
    adopted: Date,
    date_int: Date,
    date_match: Date,
    foster_care: bool,
    nb: u8,
    sex: &'static str,
    ls: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Story {
    Adoption,
    FosterCarerAdoption,
    Disruption,
    SlowAdoption,
    DecisionCeased,
    ShortStay,
    MediumStay,
    LongTerm,
    ShortBreaks,
    ReentryAdoption,
}

const STORIES: [(Story, u32); 10] = [
    (Story::Adoption, 250),
    (Story::FosterCarerAdoption, 60),
    (Story::Disruption, 45),
    (Story::SlowAdoption, 40),
    (Story::DecisionCeased, 45),
    (Story::ShortStay, 170),
    (Story::MediumStay, 130),
    (Story::LongTerm, 170),
    (Story::ShortBreaks, 60),
    (Story::ReentryAdoption, 30),
];

impl Story {
    fn name(self) -> &'static str {
        match self {
            Story::Adoption => "adoption",
            Story::FosterCarerAdoption => "adoption by foster carers",
            Story::Disruption => "adoption with disruption",
            Story::SlowAdoption => "slow adoption journey",
            Story::DecisionCeased => "decision ceased, then SGO",
            Story::ShortStay => "short stay",
            Story::MediumStay => "medium stay",
            Story::LongTerm => "long-term care",
            Story::ShortBreaks => "short breaks only",
            Story::ReentryAdoption => "re-entry then adoption",
        }
    }
}

struct Child {
    id: String,
    story: Story,
    sex: u8,
    dob: Date,
    ethnic: &'static str,
    upn: String,
    cin: &'static str,
    home_post: String,
    eps: Vec<Episode>,
    decisions: Vec<Decision>,
    adopted: Vec<Adopted>,
}

// ---------------------------------------------------------------------------------------------
// Code lists and weights
// ---------------------------------------------------------------------------------------------

const ETHNIC_GENERAL: [(&str, u32); 20] = [
    ("WBRI", 680),
    ("WIRI", 8),
    ("WOTH", 45),
    ("WIRT", 6),
    ("WROM", 8),
    ("MWBC", 50),
    ("MWBA", 15),
    ("MWAS", 15),
    ("MOTH", 25),
    ("AIND", 10),
    ("APKN", 20),
    ("ABAN", 8),
    ("AOTH", 10),
    ("BCRB", 15),
    ("BAFR", 30),
    ("BOTH", 10),
    ("CHNE", 3),
    ("OOTH", 15),
    ("REFU", 5),
    ("NOBT", 8),
];

const ETHNIC_MINORITY: [(&str, u32); 14] = [
    ("WROM", 8),
    ("MWBC", 30),
    ("MWBA", 10),
    ("MWAS", 10),
    ("MOTH", 15),
    ("AIND", 5),
    ("APKN", 10),
    ("ABAN", 5),
    ("AOTH", 5),
    ("BCRB", 10),
    ("BAFR", 15),
    ("BOTH", 5),
    ("CHNE", 2),
    ("OOTH", 8),
];

const CIN_GENERAL: [(&str, u32); 8] = [
    ("N1", 55),
    ("N2", 4),
    ("N3", 4),
    ("N4", 10),
    ("N5", 14),
    ("N6", 3),
    ("N7", 1),
    ("N8", 9),
];

const CIN_ADOPTION: [(&str, u32); 6] = [
    ("N1", 76),
    ("N2", 2),
    ("N3", 5),
    ("N4", 5),
    ("N5", 8),
    ("N8", 4),
];

const MOVE_REASONS: [(&str, u32); 11] = [
    ("CARPL", 40),
    ("CREQB", 12),
    ("CREQO", 10),
    ("CHILD", 8),
    ("LAREQ", 8),
    ("STAND", 4),
    ("ALLEG", 3),
    ("CLOSE", 4),
    ("APPRR", 2),
    ("PLACE", 4),
    ("OTHER", 5),
];

const LOCAL_AREAS: [&str; 2] = ["QA", "QB"];
const OTHER_AREAS: [&str; 4] = ["QC", "QD", "QE", "QF"];
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
const UPN_CHECK: &[u8] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

fn postcode(rng: &mut Rng, local: bool) -> String {
    let area = if local {
        LOCAL_AREAS[rng.below(LOCAL_AREAS.len() as u64) as usize]
    } else {
        OTHER_AREAS[rng.below(OTHER_AREAS.len() as u64) as usize]
    };
    let district = rng.range(1, 30);
    let sector = rng.range(0, 9);
    let l1 = INWARD_LETTERS[rng.below(INWARD_LETTERS.len() as u64) as usize] as char;
    let l2 = INWARD_LETTERS[rng.below(INWARD_LETTERS.len() as u64) as usize] as char;
    format!("{area}{district} {sector}{l1}{l2}")
}

fn urn(rng: &mut Rng) -> String {
    format!("SC{}", rng.digits(6))
}

/// A UPN with a valid check letter: check letter, LA number (fictional 999), school, year, serial.
fn upn(rng: &mut Rng) -> String {
    let body = format!(
        "999{}{}",
        rng.range(1000, 7999),
        rng.digits(5) // 2-digit year + 3-digit serial
    );
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (i as u32 + 2))
        .sum();
    format!("{}{}", UPN_CHECK[(sum % 23) as usize] as char, body)
}

// ---------------------------------------------------------------------------------------------
// Story builder
// ---------------------------------------------------------------------------------------------

struct Sim<'r> {
    rng: &'r mut Rng,
    dob: Date,
    eps: Vec<Episode>,
    decisions: Vec<Decision>,
    adopted: Vec<Adopted>,
}

impl<'r> Sim<'r> {
    fn new(rng: &'r mut Rng) -> Sim<'r> {
        Sim {
            rng,
            dob: 0,
            eps: Vec::new(),
            decisions: Vec::new(),
            adopted: Vec::new(),
        }
    }

    fn cur(&self) -> &Episode {
        self.eps.last().expect("a period has been opened")
    }

    fn last_decom(&self) -> Date {
        self.cur().decom
    }

    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        self.rng.range(lo, hi)
    }

    fn pct(&mut self, p: u32) -> bool {
        self.rng.pct(p)
    }

    // --- carers ---

    fn foster(&mut self) -> Carer {
        let place = self
            .rng
            .weighted(&[("U6", 64), ("U4", 22), ("U3", 10), ("U1", 4)]);
        let provider = if place == "U1" || place == "U3" {
            "PR1"
        } else {
            self.rng
                .weighted(&[("PR1", 50), ("PR4", 30), ("PR2", 8), ("PR5", 12)])
        };
        let agency = provider == "PR4" || provider == "PR5";
        let urn = if agency { urn(self.rng) } else { String::new() };
        let local = match provider {
            "PR1" => self.pct(85),
            "PR2" => false,
            _ => self.pct(50),
        };
        Carer {
            place,
            provider,
            urn,
            post: postcode(self.rng, local),
        }
    }

    /// Carers who may go on to adopt the child (fostering for adoption, long-term or short-term).
    fn prospective_adopter_foster(&mut self) -> Carer {
        let place = self.rng.weighted(&[("U5", 35), ("U4", 25), ("U6", 40)]);
        let provider = self.rng.weighted(&[("PR1", 75), ("PR4", 15), ("PR5", 10)]);
        let urn = if provider == "PR1" {
            String::new()
        } else {
            urn(self.rng)
        };
        Carer {
            place,
            provider,
            urn,
            post: postcode(self.rng, true),
        }
    }

    fn connected(&mut self) -> Carer {
        let place = self.rng.weighted(&[("U3", 80), ("U1", 20)]);
        let local = self.pct(70);
        Carer {
            place,
            provider: "PR1",
            urn: String::new(),
            post: postcode(self.rng, local),
        }
    }

    fn residential(&mut self) -> Carer {
        let place = self.rng.weighted(&[("K2", 75), ("R1", 25)]);
        let provider = self.rng.weighted(&[("PR4", 60), ("PR1", 25), ("PR5", 15)]);
        let local = provider == "PR1" || self.pct(30);
        Carer {
            place,
            provider,
            urn: urn(self.rng),
            post: postcode(self.rng, local),
        }
    }

    fn carer_for_age(&mut self, at: Date) -> Carer {
        if age_years(self.dob, at) >= 12 && self.pct(35) {
            self.residential()
        } else {
            self.foster()
        }
    }

    fn adopters(&mut self, place: &'static str) -> Carer {
        let provider = self.rng.weighted(&[("PR1", 55), ("PR2", 15), ("PR5", 30)]);
        let local = provider == "PR1" && self.pct(60);
        Carer {
            place,
            provider,
            urn: String::new(),
            post: postcode(self.rng, local),
        }
    }

    fn move_reason(&mut self) -> &'static str {
        self.rng.weighted(&MOVE_REASONS)
    }

    // --- episodes ---

    /// Start a period of care (RNE S), at least a day after the previous period ended.
    fn open(&mut self, d: Date, ls: &'static str, carer: Carer) -> Date {
        let d = match self.eps.last() {
            Some(e) => d.max(e.dec.expect("previous period closed") + 1),
            None => d,
        };
        self.eps.push(Episode {
            decom: d,
            rne: "S",
            ls,
            carer,
            dec: None,
            rec: None,
            reason: "",
        });
        d
    }

    /// `d`, or a week or more after the current episode began if `d` is not after it (a planned event
    /// that an earlier one has overtaken).
    fn after_current(&mut self, d: Date) -> Date {
        let last = self.last_decom();
        if d > last {
            d
        } else {
            last + self.range(7, 30)
        }
    }

    /// Close the current episode with X1 and start the next one.
    fn next(
        &mut self,
        d: Date,
        rne: &'static str,
        ls: &'static str,
        carer: Carer,
        reason: &'static str,
    ) -> Date {
        let d = self.after_current(d);
        let last = self.eps.last_mut().expect("a period has been opened");
        last.dec = Some(d);
        last.rec = Some("X1");
        self.eps.push(Episode {
            decom: d,
            rne,
            ls,
            carer,
            dec: None,
            rec: None,
            reason,
        });
        d
    }

    /// Change of legal status only (RNE L).
    fn legal(&mut self, d: Date, ls: &'static str) -> Date {
        let carer = self.cur().carer.clone();
        self.next(d, "L", ls, carer, "")
    }

    /// Change of placement and carers (RNE P).
    fn move_to(&mut self, d: Date, carer: Carer, reason: &'static str) -> Date {
        let ls = self.cur().ls;
        self.next(d, "P", ls, carer, reason)
    }

    /// Change of placement type with the same carers (RNE T).
    fn same_carer(&mut self, d: Date, place: &'static str) -> Date {
        let mut carer = self.cur().carer.clone();
        carer.place = place;
        let ls = self.cur().ls;
        self.next(d, "T", ls, carer, "")
    }

    /// End the period of care.
    fn close(&mut self, d: Date, rec: &'static str) -> Date {
        let d = self.after_current(d);
        let last = self.eps.last_mut().expect("a period has been opened");
        last.dec = Some(d);
        last.rec = Some(rec);
        d
    }

    /// A temporary move (T0-T4, provider blank) and the return to the same placement. Returns the
    /// date of the return.
    fn temp_move(&mut self, d: Date) -> Date {
        let back = self.cur().carer.clone();
        let place =
            self.rng
                .weighted(&[("T0", 20), ("T1", 15), ("T2", 20), ("T3", 25), ("T4", 20)]);
        let len = match place {
            "T4" => self.range(1, 7),
            "T1" => self.range(1, 10),
            _ => self.range(2, 14),
        };
        let local = self.pct(50);
        let post = if place == "T0" || self.pct(70) {
            postcode(self.rng, local)
        } else {
            String::new()
        };
        let temp = Carer {
            place,
            provider: "",
            urn: String::new(),
            post,
        };
        let d = self.move_to(d, temp, "");
        self.move_to(d + len, back, "")
    }

    /// Placement moves (and same-carer long-term matches, temporary moves) until `until`.
    fn placement_life(&mut self, until: Date, gap: (i32, i32), temp_pct: u32, longterm: bool) {
        loop {
            if self.pct(temp_pct) {
                let d = self.last_decom() + self.range(15, 120);
                if d + 20 < until {
                    self.temp_move(d);
                }
            }
            let next = self.last_decom() + self.range(gap.0, gap.1);
            if next >= until {
                break;
            }
            let place = self.cur().carer.place;
            if longterm && place == "U6" && self.pct(35) {
                self.same_carer(next, "U4");
            } else {
                let c = self.carer_for_age(next);
                let r = self.move_reason();
                self.move_to(next, c, r);
            }
        }
    }

    // --- adoption journey pieces ---

    /// Age (days) at entry of a child whose plan becomes adoption.
    fn adoptee_age(&mut self, older: bool) -> i32 {
        let band = if older {
            self.rng.weighted(&[(1, 10), (2, 15), (3, 35), (4, 40)])
        } else {
            self.rng.weighted(&[(1, 36), (2, 30), (3, 27), (4, 7)])
        };
        match band {
            1 => self.range(1, 20),
            2 => self.range(30, 364),
            3 => self.range(365, 1460),
            _ => self.range(1461, 2555),
        }
    }

    /// Care proceedings and the agency decision. Returns (decision date, authority date (E1/D1)).
    /// `consent`: placement with parental consent, no placement order.
    fn towards_adoption(&mut self, t0: Date, consent: bool) -> (Date, Option<Date>) {
        if !consent && self.cur().ls == "C1" && self.pct(30) {
            let d = t0 + self.range(60, 200);
            self.legal(d, "C2");
        }
        let planned = t0 + self.range(100, 330);
        if consent {
            return (planned, None);
        }
        let order = if self.pct(5) { "D1" } else { "E1" };
        if self.pct(15) {
            // Order recorded before the agency decision.
            let d = planned - self.range(10, 60);
            let auth = self.legal(d, order);
            let dec = auth + self.range(5, 60);
            (dec, Some(auth))
        } else {
            let d = planned + self.range(20, 180);
            let auth = self.legal(d, order);
            (planned, Some(auth))
        }
    }

    fn match_date(&mut self, dec: Date, auth: Option<Date>, slow: bool) -> Date {
        if let Some(a) = auth {
            if a - dec > 30 && self.pct(18) {
                return self.range(dec + 10, a - 1);
            }
        }
        let base = dec.max(auth.unwrap_or(dec));
        base + if slow {
            self.range(250, 900)
        } else {
            self.range(30, 300)
        }
    }

    /// Move in with adopters who are not the current carers (A6 under an order, A4 with consent).
    fn place_for_adoption(&mut self, matched: Date, auth: Option<Date>) -> Date {
        let mut d = matched + self.range(7, 60);
        if let Some(a) = auth {
            d = d.max(a + self.range(3, 30));
        }
        let place = if auth.is_some() { "A6" } else { "A4" };
        let c = self.adopters(place);
        self.move_to(d, c, "CARPL")
    }

    fn adopt(&mut self, placed: Date, dec: Date, matched: Date, foster_care: bool, consent: bool) {
        let rec = if consent {
            "E11"
        } else {
            self.rng.weighted(&[("E11", 65), ("E12", 35)])
        };
        let d = placed + self.range(70, 330);
        let adopted = self.close(d, rec);
        let couple = self.pct(if foster_care { 70 } else { 82 });
        let (nb, sex, ls) = if couple {
            let sex = self.rng.weighted(&[("MF", 85), ("FF", 8), ("MM", 7)]);
            let ls = self.rng.weighted(&[("L11", 60), ("L12", 15), ("L13", 25)]);
            (2, sex, ls)
        } else {
            let sex = self.rng.weighted(&[("F1", 85), ("M1", 15)]);
            (1, sex, "L0")
        };
        self.adopted.push(Adopted {
            adopted,
            date_int: dec,
            date_match: matched,
            foster_care,
            nb,
            sex,
            ls,
        });
    }

    fn decide(&mut self, dec: Date) {
        self.decisions.push(Decision {
            date_placed: dec,
            ceased: None,
        });
    }

    fn cease_decision(&mut self, d: Date, reason: &'static str) {
        if let Some(x) = self.decisions.last_mut() {
            x.ceased = Some((d, reason));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Stories
// ---------------------------------------------------------------------------------------------

fn story_adoption(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("C1", 68), ("V2", 20), ("C2", 12)]);
    let consent = ls0 == "V2" && s.pct(50);
    let c = s.foster();
    s.open(t0, ls0, c);
    if s.pct(30) {
        let d = t0 + s.range(20, 200);
        let c = s.foster();
        let r = s.move_reason();
        s.move_to(d, c, r);
    }
    if s.pct(8) {
        let d = s.last_decom() + s.range(10, 60);
        s.temp_move(d);
    }
    if ls0 == "V2" && !consent {
        let d = t0 + s.range(30, 120);
        s.legal(d, "C1");
    }
    let (dec, auth) = s.towards_adoption(t0, consent);
    s.decide(dec);
    let m = s.match_date(dec, auth, false);
    let p = s.place_for_adoption(m, auth);
    s.adopt(p, dec, m, false, consent);
}

fn story_foster_carer_adoption(s: &mut Sim, t0: Date) {
    let consent = s.pct(20);
    let ls0 = if consent {
        "V2"
    } else {
        s.rng.weighted(&[("C1", 85), ("C2", 15)])
    };
    let carers = s.prospective_adopter_foster();
    if s.pct(25) {
        let c = s.foster();
        s.open(t0, ls0, c);
        let d = t0 + s.range(30, 250);
        s.move_to(d, carers, "CARPL");
    } else {
        s.open(t0, ls0, carers);
    }
    let (dec, auth) = s.towards_adoption(t0, consent);
    s.decide(dec);
    let m = s.match_date(dec, auth, false);
    let mut d = m + s.range(0, 30);
    if let Some(a) = auth {
        d = d.max(a + s.range(1, 30));
    }
    let p = s.same_carer(d, if consent { "A3" } else { "A5" });
    s.adopt(p, dec, m, true, consent);
}

fn story_disruption(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("C1", 80), ("C2", 20)]);
    let c = s.foster();
    s.open(t0, ls0, c);
    let (dec, auth) = s.towards_adoption(t0, false);
    s.decide(dec);
    let m = s.match_date(dec, auth, false);
    let p = s.place_for_adoption(m, auth);
    let d = p + s.range(20, 200);
    let back = Carer {
        place: "U6",
        ..s.foster()
    };
    let r = s
        .rng
        .weighted(&[("CREQB", 40), ("CREQO", 30), ("CARPL", 20), ("OTHER", 10)]);
    let back_date = s.move_to(d, back, r);
    if s.pct(20) {
        // No second placement: the plan changes.
        let ceased = back_date + s.range(30, 200);
        let why = s.rng.weighted(&[("RD1", 60), ("RD4", 40)]);
        s.cease_decision(ceased, why);
        if s.pct(40) {
            let c = s.connected();
            let d = ceased + s.range(20, 150);
            s.move_to(d, c, "CARPL");
            let d = s.last_decom() + s.range(90, 300);
            s.close(d, "E45");
        } else {
            let d = ceased + s.range(30, 200);
            s.same_carer(d, "U4");
        }
    } else {
        let m2 = back_date + s.range(90, 350);
        let p2 = s.place_for_adoption(m2, auth);
        s.adopt(p2, dec, m2, false, false);
    }
}

fn story_slow_adoption(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("C1", 80), ("C2", 20)]);
    let c = s.foster();
    s.open(t0, ls0, c);
    let moves = s.range(0, 2);
    for _ in 0..moves {
        let d = s.last_decom() + s.range(60, 250);
        let c = s.foster();
        let r = s.move_reason();
        s.move_to(d, c, r);
    }
    if s.pct(20) {
        let d = s.last_decom() + s.range(20, 90);
        s.temp_move(d);
    }
    let (dec, auth) = s.towards_adoption(t0, false);
    s.decide(dec);
    if s.pct(30) {
        // Adopters could not be found.
        let ceased = dec.max(auth.unwrap_or(dec)) + s.range(450, 900);
        let why = s.rng.weighted(&[("RD3", 70), ("RD1", 30)]);
        s.cease_decision(ceased, why);
        let d = ceased + s.range(10, 90);
        if s.cur().carer.place == "U6" {
            s.same_carer(d, "U4");
        } else {
            let c = Carer {
                place: "U4",
                ..s.foster()
            };
            s.move_to(d, c, "CARPL");
        }
        if s.pct(35) {
            let d = s.last_decom() + s.range(200, 700);
            s.close(d, "E45");
        }
    } else {
        let m = s.match_date(dec, auth, true);
        let p = s.place_for_adoption(m, auth);
        s.adopt(p, dec, m, false, false);
    }
}

fn story_decision_ceased(s: &mut Sim, t0: Date) {
    let c = s.foster();
    s.open(t0, "C1", c);
    let dec = t0 + s.range(90, 300);
    s.decide(dec);
    let why = s
        .rng
        .weighted(&[("RD1", 15), ("RD2", 35), ("RD3", 15), ("RD4", 35)]);
    if why == "RD2" {
        // The court made no placement order at the final hearing.
        let court = dec + s.range(40, 200);
        s.cease_decision(court, why);
        if s.pct(50) {
            s.close(court, "E45");
        } else {
            let d = s.legal(court, "C2");
            let c = s.connected();
            let d = d + s.range(10, 120);
            s.move_to(d, c, "CARPL");
            let d = s.last_decom() + s.range(90, 300);
            s.close(d, "E45");
        }
    } else {
        let d = dec + s.range(20, 150);
        let auth = s.legal(d, "E1");
        let ceased = auth + s.range(90, 450);
        s.cease_decision(ceased, why);
        if s.pct(60) {
            let c = s.connected();
            let d = ceased + s.range(10, 120);
            s.move_to(d, c, "CARPL");
        }
        let d = ceased.max(s.last_decom()) + s.range(60, 300);
        s.close(d, "E45");
    }
}

fn story_short_stay(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("V2", 70), ("C1", 30)]);
    let c = s.carer_for_age(t0);
    s.open(t0, ls0, c);
    let dur = if s.pct(50) {
        s.range(3, 60)
    } else {
        s.range(61, 240)
    };
    if dur > 30 && s.pct(25) {
        let c = s.carer_for_age(t0);
        let r = s.move_reason();
        s.move_to(t0 + dur / 2, c, r);
    }
    let rec = s
        .rng
        .weighted(&[("E4A", 60), ("E13", 20), ("E41", 8), ("E8", 12)]);
    let end = s.close(t0 + dur, rec);
    if s.pct(15) {
        let d = end + s.range(14, 400);
        medium_stay(s, d);
    }
}

fn medium_stay(s: &mut Sim, t: Date) {
    let ls0 = s.rng.weighted(&[("V2", 50), ("C1", 50)]);
    let c = s.carer_for_age(t);
    let t = s.open(t, ls0, c);
    if ls0 == "V2" && s.pct(20) {
        let d = t + s.range(20, 150);
        s.legal(d, "C1");
    }
    if s.cur().ls == "C1" && s.pct(60) {
        let d = t + s.range(60, 250);
        s.legal(d, "C2");
    }
    let end = t + s.range(180, 1100);
    s.placement_life(end, (90, 500), 15, false);
    let rec = s
        .rng
        .weighted(&[("E45", 30), ("E41", 20), ("E13", 25), ("E4A", 25)]);
    if (rec == "E45" || rec == "E41") && s.pct(60) {
        let d = end - s.range(30, 200);
        let c = s.connected();
        s.move_to(d, c, "CARPL");
    }
    s.close(end, rec);
}

fn story_long_term(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("C1", 60), ("V2", 25), ("C2", 15)]);
    let c = s.carer_for_age(t0);
    s.open(t0, ls0, c);
    if ls0 == "V2" && s.pct(30) {
        let d = t0 + s.range(30, 200);
        s.legal(d, "C1");
    }
    if s.cur().ls == "C1" && s.pct(85) {
        let d = s.last_decom() + s.range(60, 300);
        s.legal(d, "C2");
    }
    let end = t0 + s.range(1100, 3800);
    s.placement_life(end, (150, 1000), 25, true);
    let rec = s.rng.weighted(&[
        ("E8", 25),
        ("E4A", 30),
        ("E13", 20),
        ("E45", 13),
        ("E41", 12),
    ]);
    s.close(end, rec);
}

fn story_short_breaks(s: &mut Sim, t0: Date) {
    let ls = s.rng.weighted(&[("V3", 70), ("V4", 30)]);
    let rec = s.rng.weighted(&[("E8", 60), ("E4A", 40)]);
    let place = s.rng.weighted(&[("R1", 85), ("K2", 15)]);
    let provider = s.rng.weighted(&[("PR1", 60), ("PR4", 40)]);
    let carer = Carer {
        place,
        provider,
        urn: urn(s.rng),
        post: postcode(s.rng, true),
    };
    let stop = t0 + s.range(180, 1500);
    let mut t = t0;
    while t < stop {
        let d = s.open(t, ls, carer.clone());
        let d = d + s.range(1, 4);
        let end = s.close(d, rec);
        t = end + s.range(14, 75);
    }
}

fn story_reentry_adoption(s: &mut Sim, t0: Date) {
    let ls0 = s.rng.weighted(&[("V2", 70), ("C1", 30)]);
    let c = s.foster();
    s.open(t0, ls0, c);
    let rec = s.rng.weighted(&[("E4A", 75), ("E13", 25)]);
    let d = t0 + s.range(14, 150);
    let end = s.close(d, rec);
    let t1 = end + s.range(30, 300);
    story_adoption(s, t1);
}

// ---------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------

struct Window {
    start: Date,
    end: Date,
}

fn generate_child(seed: u64, idx: u32, w: &Window) -> Child {
    let mut rng = Rng::new(seed, u64::from(idx));
    let story = rng.weighted(&STORIES);
    let years_before = if story == Story::LongTerm { 8 } else { 3 };
    let lo = add_years(w.start, -years_before);
    let hi = w.end - 14;
    let mut attempt = 0;
    loop {
        attempt += 1;
        // After many misses (tiny windows), force the entry into the window.
        let t0 = rng.range(if attempt > 200 { w.start } else { lo }, hi);
        let mut s = Sim::new(&mut rng);
        let age = match story {
            Story::Adoption | Story::FosterCarerAdoption | Story::Disruption => {
                s.adoptee_age(false)
            }
            Story::SlowAdoption | Story::DecisionCeased => s.adoptee_age(true),
            Story::ReentryAdoption => s.range(1, 700),
            Story::ShortStay => s.range(1, 17 * 365),
            Story::MediumStay => s.range(1, 15 * 365),
            Story::LongTerm => s.range(3 * 365, 15 * 365),
            Story::ShortBreaks => s.range(4 * 365, 16 * 365),
        };
        s.dob = t0 - age;
        match story {
            Story::Adoption => story_adoption(&mut s, t0),
            Story::FosterCarerAdoption => story_foster_carer_adoption(&mut s, t0),
            Story::Disruption => story_disruption(&mut s, t0),
            Story::SlowAdoption => story_slow_adoption(&mut s, t0),
            Story::DecisionCeased => story_decision_ceased(&mut s, t0),
            Story::ShortStay => story_short_stay(&mut s, t0),
            Story::MediumStay => medium_stay(&mut s, t0),
            Story::LongTerm => story_long_term(&mut s, t0),
            Story::ShortBreaks => story_short_breaks(&mut s, t0),
            Story::ReentryAdoption => story_reentry_adoption(&mut s, t0),
        }
        let dob = s.dob;
        let mut eps = std::mem::take(&mut s.eps);
        let mut decisions = std::mem::take(&mut s.decisions);
        let mut adopted = std::mem::take(&mut s.adopted);
        cap_at_18(&mut eps, add_years(dob, 18));
        truncate(&mut eps, &mut decisions, &mut adopted, w.end);
        let in_window = eps
            .iter()
            .any(|e| e.decom <= w.end && e.dec.unwrap_or(Date::MAX) >= w.start);
        if !in_window {
            continue;
        }
        let first = eps[0].decom;
        let sex = if story == Story::ShortBreaks {
            if rng.pct(62) {
                1
            } else {
                2
            }
        } else if rng.pct(52) {
            1
        } else {
            2
        };
        let ethnic = if story == Story::SlowAdoption && rng.pct(50) {
            rng.weighted(&ETHNIC_MINORITY)
        } else {
            rng.weighted(&ETHNIC_GENERAL)
        };
        let cin = match story {
            Story::ShortBreaks => {
                if rng.pct(90) {
                    "N2"
                } else {
                    "N4"
                }
            }
            Story::Adoption
            | Story::FosterCarerAdoption
            | Story::Disruption
            | Story::SlowAdoption
            | Story::DecisionCeased
            | Story::ReentryAdoption => rng.weighted(&CIN_ADOPTION),
            _ => rng.weighted(&CIN_GENERAL),
        };
        let upn = if age_years(dob, first) < 4 && rng.pct(60) {
            "UN1".to_string()
        } else {
            upn(&mut rng)
        };
        let local = rng.pct(88);
        let home_post = postcode(&mut rng, local);
        return Child {
            // Four digits as before (the golden data keeps its ids); wider for bench-sized sets.
            id: format!("S{:04}", idx + 1),
            story,
            sex,
            dob,
            ethnic,
            upn,
            cin,
            home_post,
            eps,
            decisions,
            adopted,
        };
    }
}

/// A child leaves care on their 18th birthday at the latest (REC E8); nothing starts after it.
fn cap_at_18(eps: &mut Vec<Episode>, b18: Date) {
    eps.retain(|e| e.decom < b18);
    if let Some(last) = eps.last_mut() {
        if last.dec.unwrap_or(Date::MAX) > b18 || last.rec == Some("X1") {
            last.dec = Some(b18);
            last.rec = Some("E8");
        }
    }
}

/// Forget everything after `end`: later episodes and records go, episodes open then stay open.
fn truncate(
    eps: &mut Vec<Episode>,
    decisions: &mut Vec<Decision>,
    adopted: &mut Vec<Adopted>,
    end: Date,
) {
    eps.retain(|e| e.decom <= end);
    for e in eps.iter_mut() {
        if e.dec.is_some_and(|d| d > end) {
            e.dec = None;
            e.rec = None;
        }
    }
    decisions.retain(|x| x.date_placed <= end);
    for x in decisions.iter_mut() {
        if x.ceased.is_some_and(|(d, _)| d > end) {
            x.ceased = None;
        }
    }
    adopted.retain(|a| a.adopted <= end);
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const HEADER_COLS: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB";
const EPISODE_COLS: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const AD1_COLS: &str = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR";
const PLACED_COLS: &str = "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED";

#[derive(Default)]
struct Set {
    header: String,
    episodes: String,
    ad1: String,
    placed: String,
    rows: [usize; 4],
}

impl Set {
    fn new() -> Set {
        let mut s = Set::default();
        for (buf, cols) in [
            (&mut s.header, HEADER_COLS),
            (&mut s.episodes, EPISODE_COLS),
            (&mut s.ad1, AD1_COLS),
            (&mut s.placed, PLACED_COLS),
        ] {
            buf.push_str(cols);
            buf.push('\n');
        }
        s
    }

    fn header(&mut self, c: &Child) {
        let _ = writeln!(
            self.header,
            "{},{},{},{},{},,",
            c.id,
            c.sex,
            fmt_date(c.dob),
            c.ethnic,
            c.upn
        );
        self.rows[0] += 1;
    }

    /// An episode as seen at `as_at` (DEC and REC blank if it ended later).
    fn episode(&mut self, c: &Child, e: &Episode, as_at: Date) {
        let (dec, rec) = match e.dec {
            Some(d) if d <= as_at => (fmt_date(d), e.rec.unwrap_or("")),
            _ => (String::new(), ""),
        };
        let _ = writeln!(
            self.episodes,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            c.id,
            fmt_date(e.decom),
            e.rne,
            e.ls,
            c.cin,
            e.carer.place,
            e.carer.provider,
            dec,
            rec,
            e.reason,
            c.home_post,
            e.carer.post,
            e.carer.urn
        );
        self.rows[1] += 1;
    }

    fn ad1(&mut self, c: &Child, a: &Adopted) {
        let _ = writeln!(
            self.ad1,
            "{},{},{},{},{},{},{},{}",
            c.id,
            fmt_date(c.dob),
            fmt_date(a.date_int),
            fmt_date(a.date_match),
            u8::from(a.foster_care),
            a.nb,
            a.sex,
            a.ls
        );
        self.rows[2] += 1;
    }

    fn placed(&mut self, c: &Child, x: &Decision, as_at: Date) {
        let (ceased, why) = match x.ceased {
            Some((d, why)) if d <= as_at => (fmt_date(d), why),
            _ => (String::new(), ""),
        };
        let _ = writeln!(
            self.placed,
            "{},{},{},{},{}",
            c.id,
            fmt_date(c.dob),
            fmt_date(x.date_placed),
            ceased,
            why
        );
        self.rows[3] += 1;
    }

    fn write(&self, dir: &Path) -> Result<(), String> {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (name, text) in [
            ("header.csv", &self.header),
            ("episodes.csv", &self.episodes),
            ("ad1.csv", &self.ad1),
            ("placed_adoption.csv", &self.placed),
        ] {
            let path = dir.join(name);
            fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

fn full_set(children: &[Child], w: &Window) -> Set {
    let mut set = Set::new();
    for c in children {
        set.header(c);
        for e in &c.eps {
            set.episode(c, e, w.end);
        }
        for a in &c.adopted {
            set.ad1(c, a);
        }
        for x in &c.decisions {
            set.placed(c, x, w.end);
        }
    }
    set
}

fn year_set(children: &[Child], year: i32, first_year: i32) -> Set {
    let ys = ymd(year - 1, 4, 1);
    let ye = ymd(year, 3, 31);
    let mut set = Set::new();
    for c in children {
        let eps: Vec<&Episode> = c
            .eps
            .iter()
            .filter(|e| e.decom <= ye && e.dec.unwrap_or(Date::MAX) >= ys)
            .collect();
        if eps.is_empty() {
            continue;
        }
        set.header(c);
        for e in eps {
            set.episode(c, e, ye);
        }
        for a in &c.adopted {
            if collection_year(a.adopted) == year {
                set.ad1(c, a);
            }
        }
        for x in &c.decisions {
            let decided = collection_year(x.date_placed);
            let ceased = x.ceased.map(|(d, _)| collection_year(d));
            // A decision older than the first year is reported there if still in force.
            let reported = if decided >= first_year {
                Some(decided)
            } else if ceased.unwrap_or(i32::MAX) >= first_year {
                Some(first_year)
            } else {
                None
            };
            let Some(reported) = reported else { continue };
            if reported == year || (ceased == Some(year) && year > reported) {
                set.placed(c, x, ye);
            }
        }
    }
    set
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

struct Args {
    seed: u64,
    children: u32,
    first_year: i32,
    last_year: i32,
    out: PathBuf,
    per_year: bool,
}

const USAGE: &str = "usage: synth [--seed N] [--children N] [--first-year YYYY] [--last-year YYYY] --out DIR [--per-year]
  --seed N          PRNG seed (default 1)
  --children N      number of children (default 400)
  --first-year Y    first collection year, 1 April Y-1 to 31 March Y (default 2013)
  --last-year Y     last collection year (default 2016); nothing is dated after 31 March Y
  --out DIR         output directory
  --per-year        write DIR/<year>/*.csv, one overlapping set per collection year,
                    instead of one full-history set in DIR";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        children: 400,
        first_year: 2013,
        last_year: 2016,
        out: PathBuf::new(),
        per_year: false,
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--seed" => args.seed = num(&value("--seed")?)?,
            "--children" => args.children = num(&value("--children")?)?,
            "--first-year" => args.first_year = num(&value("--first-year")?)?,
            "--last-year" => args.last_year = num(&value("--last-year")?)?,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--per-year" => args.per_year = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    args.out = out.ok_or("--out DIR is required")?;
    if !(1900..=9000).contains(&args.first_year) || args.last_year < args.first_year {
        return Err("need 1900 <= first-year <= last-year".into());
    }
    if args.children == 0 || args.children > 10_000_000 {
        return Err("--children must be 1 to 10000000".into());
    }
    Ok(args)
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse().map_err(|_| format!("not a number: {s:?}"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("synth: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let w = Window {
        start: ymd(args.first_year - 1, 4, 1),
        end: ymd(args.last_year, 3, 31),
    };
    let children: Vec<Child> = (0..args.children)
        .map(|i| generate_child(args.seed, i, &w))
        .collect();

    let result = if args.per_year {
        (args.first_year..=args.last_year).try_for_each(|y| {
            year_set(&children, y, args.first_year).write(&args.out.join(y.to_string()))
        })
    } else {
        full_set(&children, &w).write(&args.out)
    };
    if let Err(e) = result {
        eprintln!("synth: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!("{}", summary(&children, &args));
    ExitCode::SUCCESS
}

fn summary(children: &[Child], args: &Args) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "synth: {} children, seed {}, years {}-{}{}; stories:",
        children.len(),
        args.seed,
        args.first_year,
        args.last_year,
        if args.per_year { " (per year)" } else { "" }
    );
    for &(story, _) in &STORIES {
        let n = children.iter().filter(|c| c.story == story).count();
        let _ = write!(out, " {} {n};", story.name());
    }
    let _ = write!(out, "\nsynth: adoptions (E11/E12) by collection year:");
    for y in args.first_year..=args.last_year {
        let n = children
            .iter()
            .flat_map(|c| &c.adopted)
            .filter(|a| collection_year(a.adopted) == y)
            .count();
        let _ = write!(out, " {y} {n};");
    }
    out
}
