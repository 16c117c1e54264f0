//! Which process holds a reservation: `host pid start`, where `start` is
//! the process's start time (so a reused process id is not mistaken for
//! the owner).

/// An issuing process, as the register records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    token: String,
}

impl Owner {
    /// This process.
    pub fn this_process() -> Self {
        let pid = std::process::id();
        Self {
            token: format!("{} {pid} {}", host_name(), start_time(pid).unwrap_or(0)),
        }
    }

    /// An owner with an explicit token (tests and tools that stand in for
    /// another process); it is never taken for a live local process.
    pub fn named(name: &str) -> Self {
        Self {
            token: format!("{name} 0 0"),
        }
    }

    /// Process `pid` of this host, started at `start` (clock ticks since
    /// boot, as `/proc/PID/stat` gives): how another local process is
    /// recorded.
    pub fn local(pid: u32, start: u64) -> Self {
        Self {
            token: format!("{} {pid} {start}", host_name()),
        }
    }

    /// The token stored in the register.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether the owner `token` may still be issuing: on this host, when
    /// its process is running (same id, same start time); elsewhere, while
    /// its lease lasts.
    pub(crate) fn is_alive(token: &str, lease_until: i64, now: i64) -> bool {
        let mut parts = token.rsplitn(3, ' ');
        let (Some(start), Some(pid), Some(host)) = (parts.next(), parts.next(), parts.next())
        else {
            return lease_until > now;
        };
        let (Ok(start), Ok(pid)) = (start.parse::<u64>(), pid.parse::<u32>()) else {
            return lease_until > now;
        };
        if host == host_name() && pid != 0 && cfg!(target_os = "linux") {
            return start_time(pid) == Some(start);
        }
        lease_until > now
    }
}

/// This machine's name (Linux: the kernel's; elsewhere `HOSTNAME`).
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().replace(' ', "_"))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// A process's start time in clock ticks since boot (Linux), field 22 of
/// `/proc/PID/stat`.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_one_is_not() {
        let me = Owner::this_process();
        assert!(Owner::is_alive(me.token(), 0, 100));
        // A process id that cannot be running (above the kernel's maximum).
        let dead = format!("{} 4294967 1", host_name());
        if cfg!(target_os = "linux") {
            assert!(!Owner::is_alive(&dead, i64::MAX, 100));
        }
        // Another host: the lease decides.
        assert!(Owner::is_alive("elsewhere 12 34", 200, 100));
        assert!(!Owner::is_alive("elsewhere 12 34", 50, 100));
        // A named stand-in: its lease decides.
        assert!(Owner::is_alive(Owner::named("a").token(), 200, 100));
        assert!(!Owner::is_alive(Owner::named("a").token(), 50, 100));
    }
}
