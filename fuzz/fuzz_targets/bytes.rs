//! Arbitrary bytes as one to four files, and as pasted text: `run` must not panic and the report
//! must keep its invariants (`tests/support/fuzzing.rs`).
#![no_main]

#[path = "../../tests/support/fuzzing.rs"]
mod fuzzing;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = care_scorecard::Options::default();
    fuzzing::run_and_check(&fuzzing::raw_files(data), &options);
    let whole = fuzzing::File {
        name: "episodes.csv".to_string(),
        bytes: data.to_vec(),
    };
    fuzzing::run_and_check(&[whole, fuzzing::pasted(data)], &options);
});
