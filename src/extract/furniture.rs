//! Lines that Readability keeps inside the article container but a reader skips: newsletter and
//! follow prompts, affiliate disclosures, picture credits and captions, copyright lines, and lines
//! that hold only a date stamp (`Updated 1:39 am EST, Wednesday, November 20, 2019`).
//!
//! Each rule looks at one line of text alone and is bounded by length, so a long paragraph that
//! happens to mention a newsletter or a photo credit stays. The rules are general wording, never
//! a site's name; they were written against the lines the article-extraction benchmark's worst
//! pages keep wrongly (BENCHMARKS.md, issue 5).

use std::sync::LazyLock;

use regex::Regex;

/// Prompts aimed at the reader rather than reporting anything.
const PROMO_PATTERNS: &[&str] = &[
    r"\bnewsletters?\b",
    r"\binbox\b",
    r"^(subscribe|sign up)\b",
    r"\bsubscribe (to|now|today)\b",
    r"\bsign up (for|to) (our|the)\b",
    r"\bsuccessfully subscribed\b",
    r"\bfollow (us|him|her|me|them)\b",
    r"\baffiliate (commission|links?|and/or)\b",
    r"\|\s*affiliate$",
    r"^click here\b",
    r"\bclick here for more\b",
    r"\bjoin our\b",
    r"\bshare it with a friend\b",
    r"^(have|got) a (news )?tip\b",
    r"\bmay be reached at\b",
];

/// Picture credits and caption markers: `(AP Photo/Alan Diaz)`, `(Image: GETTY)`, `Credit: ESA`,
/// `Image copyright Reuters Image caption …`, `FILE PHOTO: …`, `… REUTERS/Brendan McDermid`.
const CAPTION_PATTERNS: &[&str] = &[
    r"\((ap|reuters|afp|getty|image|photo|credit|pictured)\b[^)]*\)\s*$",
    r"credit: [^.]{2,60}$",
    r"^photo( illustration)? by\b",
    r"\bimage (copyright|caption)\b",
    r"\(photo[:)]",
    r"^file photo:",
    r"\breuters/[a-z]+( [a-z]+)?$",
];

/// One case-insensitive regex of `patterns`, with ASCII word boundaries: with Unicode ones the
/// regex engine leaves its fast DFA on any non-ASCII line, and a 2 MB Chinese page has tens of
/// thousands of them.
fn any_of(patterns: &[&str]) -> Regex {
    let joined = patterns.join("|").replace(r"\b", r"(?-u:\b)");
    Regex::new(&format!("(?i){joined}")).expect("static regex")
}

static PROMO: LazyLock<Regex> = LazyLock::new(|| any_of(PROMO_PATTERNS));

/// The longest line read as a prompt: a paragraph about newsletters is article text.
const MAX_PROMO_CHARS: usize = 250;

static CAPTION: LazyLock<Regex> = LazyLock::new(|| any_of(CAPTION_PATTERNS));

/// The longest line read as a caption.
const MAX_CAPTION_CHARS: usize = 400;

/// A copyright line: `The contents of this site are ©2019 …`, `(c) 2024 …`.
static COPYRIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(©|\(c\))\s*(19|20)\d\d").expect("static regex"));

const MAX_COPYRIGHT_CHARS: usize = 300;

/// A time (`6:55`), a numeric date (`19.11.2019`, `11/18/19`, `2024-10-22`), or a Chinese date.
static DATE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,2}:\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\s*[月日]|\d{4}\s*年")
        .expect("static regex")
});

/// The longest line read as a date stamp.
const MAX_DATELINE_CHARS: usize = 120;

/// Words a date stamp is made of besides numbers and month names.
const DATE_WORDS: &[&str] = &[
    "updated",
    "update",
    "posted",
    "published",
    "first",
    "last",
    "modified",
    "original",
    "originally",
    "on",
    "at",
    "date",
    "time",
    "am",
    "pm",
    "a",
    "p",
    "m",
    "st",
    "nd",
    "rd",
    "th",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "est",
    "edt",
    "cst",
    "cdt",
    "mst",
    "mdt",
    "pst",
    "pdt",
    "hst",
    "akst",
    "gmt",
    "bst",
    "utc",
    "cet",
    "cest",
    "et",
    "ct",
    "mt",
    "pt",
    "ist",
    "jst",
    "aest",
];

/// Han characters of a Chinese date stamp (`2024年10月22日 星期二 上午10:05 发布`).
const DATE_HAN: &str = "年月日时分秒点星期周上下午发布更新时间日期于一二三四五六天";

/// True for a line that is only a date or time stamp, with at most labels such as `Updated` or
/// `Published` and weekday, month and time zone names around it.
pub(crate) fn is_dateline(text: &str) -> bool {
    if text.chars().count() > MAX_DATELINE_CHARS || !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let mut has_month = false;
    // Word by word, without lower-casing the line: most lines fail on their first word.
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        if word.chars().all(|c| DATE_HAN.contains(c)) {
            continue;
        }
        if crate::text::english_month(word).is_some() {
            has_month = true;
            continue;
        }
        if !DATE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            return false;
        }
    }
    has_month || DATE_MARK.is_match(text)
}

/// True for a newsletter or follow prompt, a picture credit or caption, a copyright line or a
/// date stamp.
pub(crate) fn is_furniture(text: &str) -> bool {
    let len = text.chars().count();
    // The prompt and caption rules are English: a line without ASCII letters skips them.
    let english = len <= MAX_CAPTION_CHARS && text.bytes().any(|b| b.is_ascii_alphabetic());
    (english && ((len <= MAX_PROMO_CHARS && PROMO.is_match(text)) || CAPTION.is_match(text)))
        || (len <= MAX_COPYRIGHT_CHARS && COPYRIGHT.is_match(text))
        || is_dateline(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: bool) {
        assert_eq!(is_furniture(line), expected, "line: {line}");
    }

    #[test]
    fn prompts() {
        check("Sign up to our newsletter for exclusive updates", true);
        check("Get the latest updates right in your inbox.", true);
        check("Subscribe", true);
        check("Follow us on Twitter and Facebook.", true);
        check(
            "This post may contain affiliate and/or referral links. Please see my disclosure page.",
            true,
        );
        check("Like this story? Share it with a friend!", true);
        check(
            "Have a tip? Jane Roe may be reached at jroe@example.com.",
            true,
        );
        check(
            "An undisclosed number of customers signed up for the free trial.",
            false,
        );
        check("Then, last week, the singer posted on Twitter.", false);
    }

    #[test]
    fn captions_and_credits() {
        check(
            "A worker loads trims into his truck in Hialeah, Fla. (AP Photo/Alan Diaz, File)",
            true,
        );
        check("The protests kicked off in June (Image: GETTY )", true);
        check("A reference module for a crewed mission. Credit: ESA", true);
        check(
            "Image copyright Reuters Image caption The minister leaves the building",
            true,
        );
        check(
            "FILE PHOTO: Traders work on the floor of the exchange. REUTERS/Jane Roe",
            true,
        );
        check("(Image credit: Blue Origin)", true);
        check("The agency gave the company credit for the idea.", false);
    }

    #[test]
    fn copyright_lines() {
        check(
            "The contents of this site are ©2019 Example Publishing Corp.",
            true,
        );
        check("(c) 2024 Example Media", true);
        check("The © sign is a copyright mark.", false);
    }

    #[test]
    fn date_stamps() {
        check("Updated 1:39 am EST, Wednesday, November 20, 2019", true);
        check("Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM", true);
        check("PUBLISHED: 10:48, Tue, Nov 19, 2019", true);
        check("Published November 20th, 2019 - 07:29 GMT", true);
        check("19.11.2019, 08:57", true);
        check("18 NOV 2019", true);
        check("Updated at 1:23 p.m.", true);
        check("2024年10月22日 02:31", true);
        check("发布时间：2024-10-22 10:00", true);
        check("On November 20, 2019, the council voted.", false);
        check("The meeting starts at 10:00.", false);
        check("2024年10月22日，商务部发布公告。", false);
        check("May", false);
    }
}
