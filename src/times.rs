//! File times: when a file's or a folder's change time can be trusted to say it has not
//! changed since. The output's listing (`write`) skips folders whose settled time is the one
//! it noted last build, and the documents' pack (`pack`) trusts a document whose stamp is
//! settled; both ask here.

use std::path::Path;

/// Whether a folder's change time `time` is far enough behind `now` for the next listing to
/// trust it: any change after now sets a later one. The kernel stamps a change with a clock
/// that lags by up to a tick (a few milliseconds); a time in whole seconds may come from a
/// file system that keeps them to the second (or two), and must be three behind, a finer one
/// a tenth of a second. (A file system keeping times to the nanosecond writes one in whole
/// seconds once in a billion; it then waits as long as a coarse one.)
pub(crate) fn settled(time: i128, now: i128) -> bool {
    const SECOND: i128 = 1_000_000_000;
    let margin = if time % SECOND == 0 {
        3 * SECOND
    } else {
        SECOND / 10
    };
    time < now - margin
}

/// The present, in nanoseconds since the epoch, as stamps' times are.
pub(crate) fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Whether the file system holding `path` is a local one known to keep change times to the
/// nanosecond (`keeps_times`). Outside Linux, none is known to.
pub fn trusts_times_at(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    return rustix::fs::statfs(path).is_ok_and(|fs| keeps_times(fs.f_type as u32));
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}

/// Whether a file system of this kind (`statfs`'s `f_type`) is a local one known to keep
/// change times to the nanosecond: a network file system may answer from a cache, or stamp
/// with a server's clock; others may not keep folders' times at all.
#[cfg(target_os = "linux")]
#[allow(clippy::unnecessary_cast)] // the constants' type differs between targets
pub(crate) fn keeps_times(kind: u32) -> bool {
    [
        libc::TMPFS_MAGIC as u32,
        libc::EXT4_SUPER_MAGIC as u32, // ext2 and ext3 too
        libc::XFS_SUPER_MAGIC as u32,
        libc::BTRFS_SUPER_MAGIC as u32,
        libc::F2FS_SUPER_MAGIC as u32,
    ]
    .contains(&kind)
}
