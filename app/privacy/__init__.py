"""Personal-data rights and retention: export, erasure, and what the nightly job deletes."""
