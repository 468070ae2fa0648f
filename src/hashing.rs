//! Hash maps keyed by the user's own identifiers and codes.
//!
//! FNV-1a: the keys are short identifiers and dates from the user's own files, so a fast hash
//! beats SipHash's protection against crafted keys (nobody attacks their own spreadsheet).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub type Build = BuildHasherDefault<Fnv>;
pub type FastMap<K, V> = HashMap<K, V, Build>;
pub type FastSet<K> = HashSet<K, Build>;
