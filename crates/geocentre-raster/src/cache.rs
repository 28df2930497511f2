//! A least-recently-used map bounded by the bytes of its values.

use lru::LruCache;
use std::hash::Hash;

pub struct ByteLru<K: Hash + Eq, V> {
    map: LruCache<K, (V, usize)>,
    bytes: usize,
    max_bytes: usize,
    hits: u64,
    misses: u64,
}

/// What a cache did since the server started.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub bytes: usize,
    pub entries: usize,
}

impl<K: Hash + Eq, V: Clone> ByteLru<K, V> {
    pub fn new(max_bytes: usize) -> Self {
        ByteLru {
            map: LruCache::unbounded(),
            bytes: 0,
            max_bytes,
            hits: 0,
            misses: 0,
        }
    }

    pub fn get(&mut self, k: &K) -> Option<V> {
        let v = self.map.get(k).map(|(v, _)| v.clone());
        if v.is_some() {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        v
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits,
            misses: self.misses,
            bytes: self.bytes,
            entries: self.map.len(),
        }
    }

    pub fn put(&mut self, k: K, v: V, size: usize) {
        if size > self.max_bytes {
            return;
        }
        if let Some((_, old)) = self.map.put(k, (v, size)) {
            self.bytes -= old;
        }
        self.bytes += size;
        while self.bytes > self.max_bytes {
            match self.map.pop_lru() {
                Some((_, (_, s))) => self.bytes -= s,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_by_bytes() {
        let mut c = ByteLru::new(10);
        c.put(1, "a", 4);
        c.put(2, "b", 4);
        assert_eq!(c.get(&1), Some("a"));
        c.put(3, "c", 4);
        assert_eq!(c.get(&2), None, "least recently used goes first");
        assert_eq!(c.get(&1), Some("a"));
        c.put(4, "huge", 11);
        assert_eq!(c.get(&4), None);
    }
}
