//! When a failing source is confirmed dead, and when each source is due again. Pure: "now" is
//! always an argument.

use super::ChangeClass;
use crate::store::time::DAY_MS;

/// Default failures before a source counts as dead.
pub const DEFAULT_DEAD_AFTER: usize = 3;
/// Default least time between two failures that both count.
pub const DEFAULT_DEAD_SPACING_MS: i64 = 3 * DAY_MS;
/// Default interval between checks of a live source.
pub const DEFAULT_LIVE_INTERVAL_MS: i64 = 7 * DAY_MS;
/// Default interval between checks of a failing (or blocked, or changed) source.
pub const DEFAULT_FAILING_INTERVAL_MS: i64 = 3 * DAY_MS;
/// Default interval between checks of a dead source (it may come back).
pub const DEFAULT_DEAD_INTERVAL_MS: i64 = 30 * DAY_MS;

/// The recheck policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub dead_after: usize,
    pub dead_spacing_ms: i64,
    pub live_interval_ms: i64,
    pub failing_interval_ms: i64,
    pub dead_interval_ms: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            dead_after: DEFAULT_DEAD_AFTER,
            dead_spacing_ms: DEFAULT_DEAD_SPACING_MS,
            live_interval_ms: DEFAULT_LIVE_INTERVAL_MS,
            failing_interval_ms: DEFAULT_FAILING_INTERVAL_MS,
            dead_interval_ms: DEFAULT_DEAD_INTERVAL_MS,
        }
    }
}

impl Policy {
    /// How many of these failure times count: the first, then each one at least
    /// `dead_spacing_ms` after the last counted (as Wikipedia's archive bot spaces its checks).
    pub fn counted_failures(&self, times: &[i64]) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort_unstable();
        let mut last: Option<i64> = None;
        let mut n = 0;
        for t in sorted {
            if last.is_none_or(|l| t - l >= self.dead_spacing_ms) {
                n += 1;
                last = Some(t);
            }
        }
        n
    }

    /// Whether "gone" failures at these times (since the last success, including this one)
    /// confirm the source dead.
    pub fn confirms_dead(&self, gone_times: &[i64]) -> bool {
        self.counted_failures(gone_times) >= self.dead_after.max(1)
    }

    /// When a source with this outcome is next due.
    pub fn next_due(&self, class: ChangeClass, now: i64) -> i64 {
        now + match class {
            ChangeClass::Dead => self.dead_interval_ms,
            ChangeClass::Unchanged | ChangeClass::Moved => self.live_interval_ms,
            _ => self.failing_interval_ms,
        }
    }

    /// The state a source is left in (`sources.state`).
    pub fn state(class: ChangeClass) -> &'static str {
        match class {
            ChangeClass::Dead => "dead",
            ChangeClass::Failing | ChangeClass::Transient | ChangeClass::Soft404 => "failing",
            ChangeClass::Blocked => "blocked",
            ChangeClass::Retracted => "retracted",
            _ => "live",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_needs_spaced_failures() {
        let p = Policy::default();
        let d = DAY_MS;
        assert!(
            !p.confirms_dead(&[0, d, 2 * d]),
            "three failures within three days"
        );
        assert!(!p.confirms_dead(&[0, 3 * d]));
        assert!(p.confirms_dead(&[0, 3 * d, 6 * d]));
        assert!(p.confirms_dead(&[6 * d + 1, 0, d, 3 * d + 1, 2 * d]));
        let strict = Policy {
            dead_after: 2,
            dead_spacing_ms: d,
            ..p
        };
        assert!(strict.confirms_dead(&[0, d]));
    }

    #[test]
    fn due_intervals() {
        let p = Policy::default();
        assert_eq!(p.next_due(ChangeClass::Unchanged, 0), 7 * DAY_MS);
        assert_eq!(p.next_due(ChangeClass::Failing, 0), 3 * DAY_MS);
        assert_eq!(p.next_due(ChangeClass::Dead, 0), 30 * DAY_MS);
    }
}
