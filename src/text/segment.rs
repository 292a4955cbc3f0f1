//! Sentence segmentation.
