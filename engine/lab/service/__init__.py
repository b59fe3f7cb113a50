"""The training service: one long-lived worker process that holds TensorFlow (its watchdog, heartbeat and
protocol), the queue every caller waits in, and the sharing of identical runs between sessions.

May import: engine.lab.results, request, running and scaling (the worker's own side calls them).
"""
