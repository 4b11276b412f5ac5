"""Occupations: the ILO's ISCO-08 classification, shipped as data (`isco08.csv`, see `SOURCE.md`)."""
