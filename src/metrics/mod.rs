//! Indicators: pure functions from typed records and a window to results.

pub mod adoption;
pub mod stats;
