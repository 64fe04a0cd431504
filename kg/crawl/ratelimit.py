"""Per-host pacing: requests to one host start at least an interval apart, across all threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class HostRateLimiter:
    """Hands out start times per host; a host can also be paused (Retry-After) or slowed (Crawl-delay)."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / rate
        self._intervals: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def slow_down(self, host: str, interval: float) -> None:
        """Space requests to `host` at least `interval` seconds apart (never faster than the rate)."""
        with self._lock:
            longer = max(self._interval, interval) - self._intervals.get(host, self._interval)
            self._intervals[host] = max(self._interval, interval)
            if longer > 0 and host in self._next:
                self._next[host] += longer

    def pause(self, host: str, seconds: float) -> None:
        """Send nothing more to `host` for `seconds` (it asked us to, with Retry-After)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)

    def wait(self, host: str) -> None:
        """Block until this thread may send the next request to `host`."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self._intervals.get(host, self._interval)
        if slot > now:
            self._sleep(slot - now)
