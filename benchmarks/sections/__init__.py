"""The sections of the benchmark report, one module each; `benchmarks/run.py` runs them in order."""
