"""One comparison in this process: each seed's data, training every candidate, measuring, the star from the
rules and the verdict; and the run folders. `comparison.run_here` is what the training worker calls.

May import: engine.lab.results, data, models, decisions, codegen and request.
"""
