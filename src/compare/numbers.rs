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

/// All quantities in `text`.
pub fn quantities(text: &str) -> Vec<Quantity> {
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
        assert!(!same_value(5.3, 6.3));
    }
}
