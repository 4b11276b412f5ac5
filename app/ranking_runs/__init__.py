"""The nightly ranking of the pool: the job, the recorded runs, and where each candidate stands."""
