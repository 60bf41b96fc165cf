"""A dict that forgets its oldest half when full: per-instance caches with bounded memory."""

from __future__ import annotations

from itertools import islice


class Cache(dict):
    """Word-form caches: a corpus's vocabulary keeps growing, memory must not."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key, value):
        if len(self) >= self.size:
            for old in list(islice(iter(self), self.size // 2)):
                del self[old]
        self[key] = value
        return value
