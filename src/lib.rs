//! citecheck: verify that the sources an article cites support what it claims.
//!
//! The pipeline, one module per stage, plain data between them (see `ARCHITECTURE.md`):
//! `document` (file -> blocks) -> `cite` + `claim` (blocks -> citations, claims) ->
//! `search` + `resolve` (citation -> chosen page, through `fetch`) -> `extract` (HTML -> main text)
//! -> `compare` (claim x page -> evidence, verdict) -> `report`.
//! `verify` is the only module that wires the stages together.

pub mod charset;
pub mod cite;
pub mod claim;
pub mod cli;
pub mod compare;
pub mod document;
pub mod eval;
pub mod extract;
pub mod fetch;
pub mod judge;
pub mod limits;
pub mod model;
pub mod nli;
pub mod recheck;
pub mod report;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod settings;
pub mod store;
pub mod text;
pub mod verify;
