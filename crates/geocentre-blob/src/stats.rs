//! Requests sent to the object store, by operation.

use std::sync::atomic::{AtomicU64, Ordering};

/// What a request to the store did. For the local backend, `Get` is a
/// positional read and `Head` a `stat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Get,
    Head,
    Put,
    MultipartCreate,
    MultipartPart,
    MultipartComplete,
    MultipartAbort,
    List,
    Delete,
}

impl Op {
    pub const ALL: [Op; 9] = [
        Op::Get,
        Op::Head,
        Op::Put,
        Op::MultipartCreate,
        Op::MultipartPart,
        Op::MultipartComplete,
        Op::MultipartAbort,
        Op::List,
        Op::Delete,
    ];

    /// The label `/metrics` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Get => "get",
            Op::Head => "head",
            Op::Put => "put",
            Op::MultipartCreate => "multipart_create",
            Op::MultipartPart => "multipart_part",
            Op::MultipartComplete => "multipart_complete",
            Op::MultipartAbort => "multipart_abort",
            Op::List => "list",
            Op::Delete => "delete",
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    done: [AtomicU64; 9],
    failed: [AtomicU64; 9],
    read_bytes: AtomicU64,
}

impl Stats {
    /// Counts one request and passes its result on.
    pub(crate) fn count<T, E>(&self, op: Op, r: Result<T, E>) -> Result<T, E> {
        let i = op as usize;
        self.done[i].fetch_add(1, Ordering::Relaxed);
        if r.is_err() {
            self.failed[i].fetch_add(1, Ordering::Relaxed);
        }
        r
    }

    /// Counts the bytes a read brought back.
    pub(crate) fn read<E>(&self, r: Result<bytes::Bytes, E>) -> Result<bytes::Bytes, E> {
        if let Ok(b) = &r {
            self.add_read(b.len());
        }
        r
    }

    pub(crate) fn add_read(&self, n: usize) {
        self.read_bytes.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub(crate) fn read_bytes(&self) -> u64 {
        self.read_bytes.load(Ordering::Relaxed)
    }

    /// (operation, requests, failed requests).
    pub(crate) fn snapshot(&self) -> Vec<(Op, u64, u64)> {
        Op::ALL
            .iter()
            .map(|&op| {
                let i = op as usize;
                (
                    op,
                    self.done[i].load(Ordering::Relaxed),
                    self.failed[i].load(Ordering::Relaxed),
                )
            })
            .collect()
    }
}
