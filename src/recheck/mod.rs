//! Re-verification: what became of a stored source since it was last read.
//!
//! `classify` (old snapshot vs new fetch → change classes and changed passages), `cues`
//! (notices, walls and error pages in a page's words) and `policy` (when a failing source is
//! confirmed dead, when a source is due again) are pure: no I/O, no clock — "now" is an
//! argument. `wayback` (the Internet Archive's availability API) and `runner` (leasing work
//! from the store, politeness per host, fetching, re-scoring claims, writing results) are the
//! I/O edges, the way `verify` is for `check`.

pub mod classify;
pub mod cues;
pub mod policy;
pub mod runner;
pub mod wayback;

pub use classify::{
    classify, failure_of, ChangeClass, Classification, Failure, Observation, Snapshot,
};
pub use policy::Policy;
pub use runner::{recheck, RecheckOptions, RecheckReport, SourceReport};
pub use wayback::Wayback;
