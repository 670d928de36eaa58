"""Pausing the cyclic garbage collector around bulk work (networking_app.collector)."""

from __future__ import annotations

import gc
import threading

from networking_app import collector


def test_a_pause_ends_with_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # someone else had turned it off: left off
    finally:
        gc.enable()


def test_pauses_in_two_threads_overlapping_leave_it_on_only_after_both() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collector.paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # this thread's pause ended first: the other's still holds
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_an_error_inside_still_ends_the_pause() -> None:
    try:
        with collector.paused():
            raise ValueError("the file broke off")
    except ValueError:
        pass
    assert gc.isenabled()
