//! Okapi BM25 over the passages of one source: how strongly a passage matches a claim's
//! tokens, saturating repeated terms and discounting long passages.

use std::collections::HashMap;

/// The usual BM25 constants: term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Term statistics of one source's passages.
#[derive(Debug, Clone, Default)]
pub struct Bm25 {
    idf: HashMap<String, f64>,
    /// Per passage: term counts and length.
    docs: Vec<(HashMap<String, u32>, usize)>,
    avg_len: f64,
}

impl Bm25 {
    pub fn new(passages: &[Vec<String>]) -> Self {
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut docs = Vec::with_capacity(passages.len());
        let mut total = 0usize;
        for toks in passages {
            let mut tf: HashMap<String, u32> = HashMap::new();
            for t in toks {
                *tf.entry(t.clone()).or_insert(0) += 1;
            }
            for t in tf.keys() {
                *df.entry(t.clone()).or_insert(0) += 1;
            }
            total += toks.len();
            docs.push((tf, toks.len()));
        }
        let n = passages.len() as f64;
        let idf = df
            .into_iter()
            .map(|(t, d)| {
                let d = d as f64;
                (t, ((n - d + 0.5) / (d + 0.5) + 1.0).ln())
            })
            .collect();
        Bm25 {
            idf,
            avg_len: if docs.is_empty() {
                0.0
            } else {
                total as f64 / docs.len() as f64
            },
            docs,
        }
    }

    /// BM25 of passage `i` for the query tokens (each distinct token counted once).
    pub fn score(&self, query: &[String], i: usize) -> f64 {
        let Some((tf, len)) = self.docs.get(i) else {
            return 0.0;
        };
        let norm = K1 * (1.0 - B + B * *len as f64 / self.avg_len.max(1.0));
        let mut seen: Vec<&String> = Vec::with_capacity(query.len());
        let mut s = 0.0;
        for q in query {
            if seen.contains(&q) {
                continue;
            }
            seen.push(q);
            if let (Some(&f), Some(&idf)) = (tf.get(q), self.idf.get(q)) {
                let f = f as f64;
                s += idf * f * (K1 + 1.0) / (f + norm);
            }
        }
        s
    }

    /// The most a passage could score for `query`: every token present once in a passage of
    /// average length. Dividing by it puts scores of different claims on one scale.
    pub fn ceiling(&self, query: &[String]) -> f64 {
        let n = self.docs.len() as f64;
        let unseen = ((n + 0.5) / 0.5 + 1.0).ln();
        let mut seen: Vec<&String> = Vec::new();
        let mut s = 0.0;
        for q in query {
            if seen.contains(&q) {
                continue;
            }
            seen.push(q);
            s += self.idf.get(q).copied().unwrap_or(unseen);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::similarity::tokens;

    #[test]
    fn matching_passage_scores_highest() {
        let passages = vec![
            tokens("英伟达停止接受中国新订单"),
            tokens("天气晴朗，适合出游"),
            tokens("Nvidia stops taking new orders from China"),
        ];
        let bm = Bm25::new(&passages);
        let q = tokens("英伟达停止接受订单");
        assert!(bm.score(&q, 0) > bm.score(&q, 1));
        assert_eq!(bm.score(&q, 1), 0.0);
        let en = tokens("Nvidia new orders");
        assert!(bm.score(&en, 2) > 0.0 && bm.score(&en, 0) == 0.0);
        assert!(bm.ceiling(&q) >= bm.score(&q, 0) * 0.5);
        assert_eq!(bm.score(&q, 9), 0.0);
    }
}
