//! Document -> citations: the attribution lines, inline attributions and links an article uses.

pub mod registry;
