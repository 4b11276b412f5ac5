"""Member states and what their officials set: grid overlays, the annual ceiling, categories."""
