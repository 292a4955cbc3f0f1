//! English month names as dates write them: the full name, its three-letter abbreviation, or
//! `Sept`, in any ASCII case.

const FULL: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month `word` names (1–12), without allocating; `None` for anything else (`Marc`,
/// `Mayo`).
pub fn english_month(word: &str) -> Option<u32> {
    if word.len() < 3 || !word.is_ascii() {
        return None;
    }
    let i = FULL
        .iter()
        .position(|f| f[..3].eq_ignore_ascii_case(&word[..3]))?;
    (word.len() == 3 || FULL[i].eq_ignore_ascii_case(word) || word.eq_ignore_ascii_case("sept"))
        .then_some(i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_abbreviations_and_sept() {
        assert_eq!(english_month("January"), Some(1));
        assert_eq!(english_month("FEB"), Some(2));
        assert_eq!(english_month("may"), Some(5));
        assert_eq!(english_month("Sept"), Some(9));
        assert_eq!(english_month("september"), Some(9));
        assert_eq!(english_month("Dec"), Some(12));
        for not in ["Ma", "Marc", "Mayo", "Septem", "Monday", "", "Ｍay"] {
            assert_eq!(english_month(not), None, "{not}");
        }
    }
}
