//! Structured: the valid fixtures (worked example, synthetic, synthetic by year, edge cases, the
//! peers' fake data) cut to a few children, then mutated cell by cell, row by row, column by column
//! and byte by byte, so the fuzzer reaches stitching, periods of care and the indicators.
#![no_main]

#[path = "../../tests/support/fuzzing.rs"]
mod fuzzing;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (files, options) = fuzzing::mutated_files(data);
    fuzzing::run_and_check(&files, &options);
});
