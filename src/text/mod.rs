//! Text primitives every stage shares: folding (width, script, case), sentence segmentation,
//! n-grams and similarity measures. Pure functions only.

pub mod month;
pub mod normalize;
pub mod segment;
pub mod similarity;

pub use month::english_month;
pub use normalize::{fold, fold_char, is_cjk};
