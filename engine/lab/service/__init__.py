"""The training service: one long-lived worker process that holds TensorFlow (its watchdog, heartbeat and
protocol), or a Ray cluster behind the same call (backend.py chooses; ray_backend.py and ray_task.py import
Ray and are imported only when one is configured), the queue every caller waits in, and the sharing of
identical runs between sessions.

May import: engine.lab.results, request, running and scaling (the worker's own side calls them).
"""
