"""The process-wide training queue: positions, cancellation while waiting, fairness between threads."""

import threading
import time

import pytest

from engine.lab import TrainingCancelled, TrainingQueue, training_queue


def test_positions_follow_arrival_order_and_release_moves_everyone_up():
    queue = TrainingQueue()
    first, second, third = queue.join("a"), queue.join("b"), queue.join("c")
    assert [queue.position(t) for t in (first, second, third)] == [0, 1, 2]
    queue.release(first)
    assert [queue.position(t) for t in (first, second, third)] == [None, 0, 1]


def test_cancel_while_waiting_leaves_the_queue():
    queue = TrainingQueue()
    holder = queue.join("holder")
    waiter = queue.join("waiter")
    cancel = threading.Event()
    seen = []
    errors = []

    def wait():
        try:
            queue.wait(waiter, cancel=cancel, on_position=seen.append, poll_seconds=0.01)
        except TrainingCancelled as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.05)
    cancel.set()
    thread.join(timeout=5)
    assert seen == [1]
    assert errors and "1 training run(s) were ahead" in errors[0]
    assert queue.position(waiter) is None and queue.position(holder) == 0


def test_two_threads_asking_at_once_both_finish_one_at_a_time():
    queue = TrainingQueue()
    inside, most_inside, finished, positions = [0], [0], [], {}
    lock = threading.Lock()
    both_queued = threading.Event()

    def work(name):
        with queue.turn(name, on_position=lambda p: positions.setdefault(name, []).append(p)):
            # Hold the turn until the other thread has joined the queue, however slowly it was scheduled:
            # the test is about two callers overlapping, which a loaded machine must not turn into one at a time.
            both_queued.wait(timeout=10)
            with lock:
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1
        finished.append(name)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while len(queue) < 2 and not finished and time.monotonic() < deadline:
        time.sleep(0.01)
    both_queued.set()
    for t in threads:
        t.join(timeout=10)
    assert sorted(finished) == ["a", "b"]
    assert most_inside[0] == 1
    assert sorted(p[-1] for p in positions.values()) == [0, 0]
    assert any(p[0] == 1 for p in positions.values())  # one of them was told it had to wait
    assert len(queue) == 0


def test_the_process_wide_queue_is_one_object():
    assert training_queue() is training_queue()


def test_a_failing_turn_still_releases():
    queue = TrainingQueue()
    with pytest.raises(RuntimeError), queue.turn("boom"):
        raise RuntimeError("boom")
    assert len(queue) == 0


def test_with_several_slots_the_first_ones_train_and_the_rest_count_only_who_must_finish_first():
    """A backend that trains several runs at once (a Ray cluster: one per CPU) lets that many through."""
    queue = TrainingQueue()
    tickets = [queue.join(str(k)) for k in range(4)]
    assert [queue.position(t, slots=2) for t in tickets] == [0, 0, 1, 2]
    queue.wait(tickets[1], slots=2)  # its turn at once: one run ahead, two slots
    queue.release(tickets[0])
    assert [queue.position(t, slots=2) for t in tickets[1:]] == [0, 0, 1]
