//! Numbers with their units, normalised so that 50亿美元, $5 billion and 5 billion dollars
//! compare equal and 5.3% differs from 6.3%.

use regex::Regex;
use std::sync::OnceLock;

/// What a number measures; only numbers of the same kind are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Currency,
    Year,
    Plain,
}

/// A number as written and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub text: String,
    pub value: f64,
    pub unit: Unit,
}

fn pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(
            r"(?ix)
            (?P<cur>[$€£¥])?\s*
            (?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)
            \s*(?P<mul>万亿|亿|万|千|百万|trillion|billion|million|thousand|bn|m\b|k\b)?
            \s*(?P<unit>%|％|个百分点|percent|per\ cent|美元|元|人民币|欧元|英镑|日元|dollars?|euros?|pounds?|yuan|年)?",
        )
        .expect("static regex")
    })
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

/// The value of a run of Chinese numerals: 五十亿 → 5000000000, 一亿五千万 → 150000000,
/// 二〇二四 → 2024 (digits without units are read one by one).
pub fn chinese_number(run: &str) -> Option<u64> {
    let chars: Vec<char> = run.chars().collect();
    if chars.is_empty()
        || !chars
            .iter()
            .all(|c| chinese_digit(*c).is_some() || chinese_unit(*c).is_some())
    {
        return None;
    }
    if chars.iter().all(|c| chinese_digit(*c).is_some()) {
        return chars.iter().try_fold(0u64, |acc, c| {
            acc.checked_mul(10)?.checked_add(chinese_digit(*c)?)
        });
    }
    let (mut total, mut section, mut number) = (0u64, 0u64, 0u64);
    for c in chars {
        if let Some(d) = chinese_digit(c) {
            number = d;
        } else if let Some(u) = chinese_unit(c) {
            match u {
                100_000_000 => {
                    total = total.checked_add(section + number)?.checked_mul(u)?;
                    section = 0;
                }
                10_000 => {
                    total = total.checked_add((section + number).checked_mul(u)?)?;
                    section = 0;
                }
                _ => {
                    let n = if number == 0 && u == 10 { 1 } else { number };
                    section += n * u;
                }
            }
            number = 0;
        }
    }
    total.checked_add(section + number)
}

/// `text` with each run of Chinese numerals that holds a digit written in Arabic digits, so
/// that 五十亿美元 reads as 5000000000美元.
pub fn arabic_numerals(text: &str) -> std::borrow::Cow<'_, str> {
    let is_num = |c: char| chinese_digit(c).is_some() || chinese_unit(c).is_some();
    if !text.chars().any(|c| chinese_digit(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let has_digit = run.chars().any(|c| chinese_digit(c).is_some());
        // A lone 一 or 两 is usually a word (一些, 两国), not a figure.
        let word_like = run.chars().count() == 1;
        match chinese_number(run) {
            Some(v) if has_digit && !word_like => out.push_str(&v.to_string()),
            _ => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if is_num(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    std::borrow::Cow::Owned(out)
}

/// All quantities in `text` (Chinese numerals included).
pub fn quantities(text: &str) -> Vec<Quantity> {
    let text = arabic_numerals(text);
    let text = text.as_ref();
    let mut out = Vec::new();
    for c in pattern().captures_iter(text) {
        let whole = c.get(0).expect("match").as_str().trim().to_string();
        let Some(num) = c.name("num") else { continue };
        let Ok(mut value) = num.as_str().replace([',', '，'], "").parse::<f64>() else {
            continue;
        };
        let mul = c.name("mul").map(|m| m.as_str().to_lowercase());
        value *= match mul.as_deref() {
            Some("万亿") | Some("trillion") => 1e12,
            Some("亿") => 1e8,
            Some("万") => 1e4,
            Some("千") | Some("thousand") | Some("k") => 1e3,
            Some("百万") | Some("million") | Some("m") => 1e6,
            Some("billion") | Some("bn") => 1e9,
            _ => 1.0,
        };
        let unit_text = c.name("unit").map(|m| m.as_str().to_lowercase());
        let unit = match unit_text.as_deref() {
            Some("%") | Some("％") | Some("个百分点") | Some("percent") | Some("per cent") => {
                Unit::Percent
            }
            Some("年") if mul.is_none() && (1900.0..2100.0).contains(&value) => Unit::Year,
            Some("年") => Unit::Plain,
            Some(_) => Unit::Currency,
            None if c.name("cur").is_some() => Unit::Currency,
            None if mul.is_none()
                && num.as_str().len() == 4
                && (1900.0..2100.0).contains(&value) =>
            {
                Unit::Year
            }
            None => Unit::Plain,
        };
        out.push(Quantity {
            text: whole,
            value,
            unit,
        });
    }
    out
}

/// Whether two quantities state the same thing: the same kind, and the same value (years
/// exactly, others within rounding).
pub fn same_quantity(a: &Quantity, b: &Quantity) -> bool {
    a.unit == b.unit
        && if a.unit == Unit::Year {
            a.value == b.value
        } else {
            same_value(a.value, b.value)
        }
}

/// Whether two values are the same number as written in news (within 1 %).
pub fn same_value(a: f64, b: f64) -> bool {
    if a == b {
        return true;
    }
    let scale = a.abs().max(b.abs());
    scale > 0.0 && (a - b).abs() / scale < 0.01
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_number("五十亿"), Some(5_000_000_000));
        assert_eq!(chinese_number("一亿五千万"), Some(150_000_000));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("三万亿"), Some(3_000_000_000_000));
        assert_eq!(chinese_number("二〇二四"), Some(2024));
        assert_eq!(chinese_number("abc"), None);
        assert_eq!(arabic_numerals("一些国家"), "一些国家");
        assert_eq!(arabic_numerals("增长百分之五"), "增长百分之五");
        assert_eq!(arabic_numerals("超五十亿美元"), "超5000000000美元");
        assert!(same_quantity(
            &quantities("五十亿美元")[0],
            &quantities("$5 billion")[0]
        ));
        assert!(!same_quantity(
            &quantities("2023年")[0],
            &quantities("2024年")[0]
        ));
    }

    fn q(text: &str) -> Vec<(f64, Unit)> {
        quantities(text)
            .into_iter()
            .map(|q| (q.value, q.unit))
            .collect()
    }

    #[test]
    fn normalises_amounts_percentages_and_years() {
        assert_eq!(q("超50亿美元订单"), vec![(5e9, Unit::Currency)]);
        assert_eq!(q("$5 billion in orders"), vec![(5e9, Unit::Currency)]);
        assert_eq!(
            q("grew 5.3% in 2024"),
            vec![(5.3, Unit::Percent), (2024.0, Unit::Year)]
        );
        assert_eq!(q("2023年"), vec![(2023.0, Unit::Year)]);
        assert!(same_value(5e9, 5.0e9));
        assert_eq!(q("五十亿美元"), vec![(5e9, Unit::Currency)]);
        assert_eq!(q("二〇二四年"), vec![(2024.0, Unit::Year)]);
        assert!(!same_value(5.3, 6.3));
    }
}
