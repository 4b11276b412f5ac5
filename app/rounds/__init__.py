"""Invitation rounds: scheduled by officials, run exactly once, verifiable, published."""
