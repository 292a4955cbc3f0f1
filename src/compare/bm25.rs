//! An index of one source's passages for scoring many claims fast: tokens interned to ids,
//! each passage a sorted list of (id, count). Gives per passage the IDF-weighted coverage of a
//! claim, bigram/word Dice, and Okapi BM25 (term-frequency saturation, length normalisation),
//! all by merging sorted lists instead of hashing strings.

use std::collections::HashMap;

/// The usual BM25 constants: term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Term statistics of one source's passages.
#[derive(Debug, Clone, Default)]
pub struct PassageIndex {
    vocab: HashMap<String, u32>,
    /// Coverage weight per id: ln(1 + n / df).
    idf: Vec<f64>,
    /// BM25 weight per id: ln(1 + (n - df + 0.5) / (df + 0.5)).
    bm25_idf: Vec<f64>,
    passages: Vec<Vec<(u32, u32)>>,
    lens: Vec<usize>,
    avg_len: f64,
}

/// A claim's tokens looked up in one index.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Known tokens: (id, count in the claim), sorted by id.
    known: Vec<(u32, u32)>,
    /// Distinct tokens the source never uses.
    unknown: usize,
    /// All tokens, repeats included.
    len: usize,
}

impl Query {
    /// Distinct tokens of the claim the source never uses.
    pub fn unknown_count(&self) -> usize {
        self.unknown
    }
}

/// How one passage matches one claim.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Match {
    /// Share of the claim's IDF weight the passage contains.
    pub cover: f64,
    /// Sørensen–Dice of the two token multisets.
    pub dice: f64,
    /// Okapi BM25 of the claim's distinct tokens.
    pub bm25: f64,
}

impl PassageIndex {
    pub fn new(passages: &[Vec<String>]) -> Self {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<usize> = Vec::new();
        let mut lists = Vec::with_capacity(passages.len());
        let mut lens = Vec::with_capacity(passages.len());
        for toks in passages {
            let mut ids: Vec<u32> = toks
                .iter()
                .map(|t| {
                    let next = vocab.len() as u32;
                    *vocab.entry(t.clone()).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            let mut list: Vec<(u32, u32)> = Vec::new();
            for id in ids {
                match list.last_mut() {
                    Some((last, c)) if *last == id => *c += 1,
                    _ => list.push((id, 1)),
                }
            }
            df.resize(vocab.len(), 0);
            for (id, _) in &list {
                df[*id as usize] += 1;
            }
            lens.push(toks.len());
            lists.push(list);
        }
        let n = passages.len().max(1) as f64;
        let idf = df.iter().map(|d| (1.0 + n / *d as f64).ln()).collect();
        let bm25_idf = df
            .iter()
            .map(|d| ((n - *d as f64 + 0.5) / (*d as f64 + 0.5) + 1.0).ln())
            .collect();
        let total: usize = lens.iter().sum();
        PassageIndex {
            vocab,
            idf,
            bm25_idf,
            avg_len: if lens.is_empty() {
                0.0
            } else {
                total as f64 / lens.len() as f64
            },
            passages: lists,
            lens,
        }
    }

    /// Looks up a claim's tokens.
    pub fn query(&self, tokens: &[String]) -> Query {
        let mut ids: Vec<u32> = Vec::with_capacity(tokens.len());
        let mut unknown: Vec<&String> = Vec::new();
        for t in tokens {
            match self.vocab.get(t) {
                Some(id) => ids.push(*id),
                None if !unknown.contains(&t) => unknown.push(t),
                None => {}
            }
        }
        ids.sort_unstable();
        let mut known: Vec<(u32, u32)> = Vec::new();
        for id in ids {
            match known.last_mut() {
                Some((last, c)) if *last == id => *c += 1,
                _ => known.push((id, 1)),
            }
        }
        Query {
            known,
            unknown: unknown.len(),
            len: tokens.len(),
        }
    }

    /// The id of each token, in order (None for a token the source never uses).
    /// Every distinct token of the source.
    pub fn vocabulary(&self) -> impl Iterator<Item = &str> {
        self.vocab.keys().map(String::as_str)
    }

    /// Whether the source uses `token`.
    pub fn contains(&self, token: &str) -> bool {
        self.vocab.contains_key(token)
    }

    pub fn ids(&self, tokens: &[String]) -> Vec<Option<u32>> {
        tokens.iter().map(|t| self.vocab.get(t).copied()).collect()
    }

    fn n(&self) -> f64 {
        self.passages.len().max(1) as f64
    }

    /// Weight of a token the source never uses, in coverage.
    fn unseen(&self) -> f64 {
        (1.0 + self.n()).ln()
    }

    /// The claim's total coverage weight.
    fn total_weight(&self, q: &Query) -> f64 {
        q.known
            .iter()
            .map(|(id, _)| self.idf[*id as usize])
            .sum::<f64>()
            + q.unknown as f64 * self.unseen()
    }

    /// How passage `i` matches the query.
    pub fn score(&self, q: &Query, i: usize) -> Match {
        let (Some(list), Some(&len)) = (self.passages.get(i), self.lens.get(i)) else {
            return Match::default();
        };
        let norm = K1 * (1.0 - B + B * len as f64 / self.avg_len.max(1.0));
        let (mut a, mut b) = (0usize, 0usize);
        let (mut shared_w, mut shared_n, mut bm25) = (0.0, 0u32, 0.0);
        while a < q.known.len() && b < list.len() {
            let (qa, qc) = q.known[a];
            let (pb, pc) = list[b];
            match qa.cmp(&pb) {
                std::cmp::Ordering::Less => a += 1,
                std::cmp::Ordering::Greater => b += 1,
                std::cmp::Ordering::Equal => {
                    shared_w += self.idf[qa as usize];
                    shared_n += qc.min(pc);
                    let f = f64::from(pc);
                    bm25 += self.bm25_idf[qa as usize] * f * (K1 + 1.0) / (f + norm);
                    a += 1;
                    b += 1;
                }
            }
        }
        let total = self.total_weight(q);
        Match {
            cover: if total > 0.0 { shared_w / total } else { 0.0 },
            dice: if q.len == 0 || len == 0 {
                0.0
            } else {
                2.0 * f64::from(shared_n) / (q.len + len) as f64
            },
            bm25,
        }
    }

    /// The most a passage could score in BM25 for the query, near enough: the sum of its
    /// tokens' weights. Dividing by it puts scores of different claims on one scale.
    pub fn ceiling(&self, q: &Query) -> f64 {
        let unseen = ((self.n() + 0.5) / 0.5 + 1.0).ln();
        q.known
            .iter()
            .map(|(id, _)| self.bm25_idf[*id as usize])
            .sum::<f64>()
            + q.unknown as f64 * unseen
    }

    /// Share of the claim's coverage weight found in at least one of `passages` (evidence a
    /// claim draws from several places of the source).
    pub fn union_cover(&self, q: &Query, passages: &[usize]) -> f64 {
        let total = self.total_weight(q);
        if total == 0.0 {
            return 0.0;
        }
        let shared: f64 = q
            .known
            .iter()
            .filter(|(id, _)| {
                passages.iter().any(|p| {
                    self.passages
                        .get(*p)
                        .is_some_and(|l| l.binary_search_by_key(id, |(i, _)| *i).is_ok())
                })
            })
            .map(|(id, _)| self.idf[*id as usize])
            .sum();
        shared / total
    }

    /// Share of the claim's coverage weight found anywhere in the source.
    pub fn doc_cover(&self, q: &Query) -> f64 {
        let total = self.total_weight(q);
        if total == 0.0 {
            0.0
        } else {
            q.known
                .iter()
                .map(|(id, _)| self.idf[*id as usize])
                .sum::<f64>()
                / total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::similarity::{dice, tokens};

    #[test]
    fn matching_passage_scores_highest() {
        let passages = vec![
            tokens("英伟达停止接受中国新订单"),
            tokens("天气晴朗，适合出游"),
            tokens("Nvidia stops taking new orders from China"),
        ];
        let ix = PassageIndex::new(&passages);
        let q = ix.query(&tokens("英伟达停止接受订单"));
        assert!(ix.score(&q, 0).bm25 > ix.score(&q, 1).bm25);
        assert_eq!(ix.score(&q, 1), Match::default());
        let en = ix.query(&tokens("Nvidia new orders"));
        assert!(ix.score(&en, 2).bm25 > 0.0 && ix.score(&en, 0).bm25 == 0.0);
        assert_eq!(ix.score(&en, 2).cover, 1.0);
        assert!(ix.ceiling(&q) >= ix.score(&q, 0).bm25 * 0.5);
        assert_eq!(ix.score(&q, 9), Match::default());
        assert!(ix.doc_cover(&q) > 0.5 && ix.doc_cover(&q) < 1.0);
    }

    #[test]
    fn dice_agrees_with_the_string_version() {
        let passages = vec![tokens("英伟达可能丢掉订单 订单")];
        let ix = PassageIndex::new(&passages);
        let claim = tokens("英伟达停止接受订单");
        let m = ix.score(&ix.query(&claim), 0);
        assert!((m.dice - dice(&claim, &passages[0])).abs() < 1e-12);
    }
}
