//! The outlet registry: outlet names and aliases in every script, their domains and kinds.
