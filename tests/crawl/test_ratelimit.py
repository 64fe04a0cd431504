"""Per-host pacing, with a fake clock."""

from __future__ import annotations

from kg.crawl.ratelimit import HostRateLimiter

class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))


def test_requests_to_one_host_are_spaced_and_other_hosts_are_independent():
    time = FakeTime()
    limiter = HostRateLimiter(4.0, time.clock, time.sleep)
    for host in ("a", "a", "a", "b"):
        limiter.wait(host)
    assert time.slept == [0.25, 0.5]


def test_pause_and_crawl_delay_hold_a_host_back():
    time = FakeTime()
    limiter = HostRateLimiter(10.0, time.clock, time.sleep)
    limiter.wait("a")
    limiter.pause("a", 3.0)
    limiter.wait("a")
    limiter.slow_down("a", 1.0)
    limiter.wait("a")
    assert time.slept == [3.0, 4.0]
