//! Which setting a configuration error is about: toml's messages for wrong types ("invalid
//! type: string \"many\", expected usize") do not name the key, so the error's position is
//! mapped back to the dotted key (`run.concurrency`) it sits under.

/// The dotted key at byte `offset` of a TOML text: the table header above it and the key on
/// the line that assigns the value (or the key itself when the offset points at one).
pub(super) fn key_at(text: &str, offset: usize) -> Option<String> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    // The key of this line, or of the nearest line above that assigns one (a value spread
    // over several lines, such as an array).
    let mut key = assigned_key(line);
    if key.is_none() && !is_header(line) {
        key = before[..line_start]
            .lines()
            .rev()
            .take_while(|l| !is_header(l))
            .find_map(assigned_key);
        if key.is_none() {
            // An unknown key without a value, or a bare word: the token at the offset.
            let word: String = text[offset..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .collect();
            key = (!word.is_empty()).then_some(word);
        }
    }
    let table = before[..line_start]
        .lines()
        .rev()
        .find(|l| is_header(l))
        .map(|l| l.trim().trim_matches(['[', ']']).trim().to_string());
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (Some(t), None) => Some(t),
        (None, k) => k,
    }
}

pub(super) fn is_header(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('[') && !t.contains('=')
}

pub(super) fn assigned_key(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with('[') {
        return None;
    }
    let (key, _) = t.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::key_at;

    fn check(text: &str, needle: &str, expected: Option<&str>) {
        let offset = text.find(needle).expect("needle in text");
        assert_eq!(
            key_at(text, offset).as_deref(),
            expected,
            "{text:?} at {needle:?}"
        );
    }

    #[test]
    fn keys_under_tables() {
        check(
            "[run]\nconcurrency = \"many\"\n",
            "\"many\"",
            Some("run.concurrency"),
        );
        check(
            "[fetch]\nretries = 1\ntimeout_sec = 4\n",
            "timeout_sec",
            Some("fetch.timeout_sec"),
        );
        check("color = true\n", "color", Some("color"));
        check(
            "[run]\nfail_on = [\n  \"bogus\",\n]\n",
            "bogus",
            Some("run.fail_on"),
        );
        check(
            "[[outlet]]\nid = \"x\"\nname = 5\n",
            "5",
            Some("outlet.name"),
        );
        check("[run]\n# note = 1\nx", "x", Some("run.x"));
        check("", "", None);
    }
}
