"""Employers and their vacancies: organisations a member state verifies before they publish anything."""
