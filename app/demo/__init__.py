"""Demonstration data and synthetic pools; product code never imports this package."""
