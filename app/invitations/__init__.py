"""Invitations to apply: issued by rounds, answered by candidates, expired by the nightly job."""
