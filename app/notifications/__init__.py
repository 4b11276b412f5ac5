"""Notifications: every message the service sends, written to an outbox in the same transaction as the change it tells of.

The outbox (`models.OutboxMessage`, `outbox.enqueue`) is the transactional half: an invitation,
a reminder or an account message exists exactly when the change that caused it committed, so no
mail is sent for a change that was rolled back and none is lost for one that landed. Delivery
(a sender job over SMTP, with retries) reads the outbox afterwards, outside those transactions.
"""
