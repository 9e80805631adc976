-- Synctriage evidence store, schema version 4: the account's domain on its notifications.
--
-- Same rules as V1: one script for H2 2.x and PostgreSQL 15.
--
-- A stored diagnosis asks "which accounts of this domain failed in the last 30 days". Through a join of
-- accounts (by domain) and notifications (by account and time), a domain of a few thousand mailboxes cost a
-- probe per mailbox, or a walk over the month's notifications by time: 60-500 ms per diagnosis at 1M
-- accounts / 10M events on PostgreSQL. With the domain on the notification, the answer is one range of
-- (domain, type, ordered_at): the domain's failures in the window, nothing else.
--
-- `domain` is the domain of the ACCOUNT the notification names (as the join had it), kept up to date by the
-- store when an account's email becomes known or changes; null for a notification naming no account.

ALTER TABLE notifications ADD COLUMN domain VARCHAR(255);

UPDATE notifications SET domain = (SELECT a.domain FROM accounts a WHERE a.id = notifications.account_id)
    WHERE account_id IS NOT NULL;

CREATE INDEX notifications_domain ON notifications (domain, type, ordered_at);
