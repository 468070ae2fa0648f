//! Robustness on stable Rust: the fuzz targets' recipes (`tests/support/fuzzing.rs`) driven by a
//! seeded generator, and regression tests named after what the fuzzer caught. The long runs are
//! `scripts/fuzz.sh` (nightly, cargo-fuzz); these keep every CI run honest in a few seconds.

#[path = "support/fuzzing.rs"]
mod fuzzing;

use fuzzing::{File, XorShift};

#[test]
fn random_bytes_as_files_and_pasted_text_keep_the_invariants() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..400 {
        let len = (rng.next() % 600) as usize;
        let data = rng.bytes(len);
        fuzzing::run_and_check(&fuzzing::raw_files(&data), &Default::default());
        fuzzing::run_and_check(&[fuzzing::pasted(&data)], &Default::default());
    }
}

#[test]
fn mutated_fixtures_keep_the_invariants() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..600 {
        let len = (rng.next() % 300) as usize;
        let data = rng.bytes(len);
        let (files, options) = fuzzing::mutated_files(&data);
        fuzzing::run_and_check(&files, &options);
    }
}

#[test]
fn unmutated_fixtures_keep_the_invariants() {
    // Zero bytes: every fixture set whole, nothing changed (the recipe's first choice picks it).
    for first in 0u8..5 {
        let (files, options) = fuzzing::mutated_files(&[first, 0, 1]);
        assert!(!files.is_empty());
        fuzzing::run_and_check(&files, &options);
    }
    let _ = File {
        name: String::new(),
        bytes: Vec::new(),
    };
}
