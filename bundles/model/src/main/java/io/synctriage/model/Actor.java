package io.synctriage.model;

/** Who must act to fix a cause (spec/causes.md). */
public enum Actor {
    /** The team owning the application that integrates the sync platform. */
    DEVELOPER,
    /** The person whose mailbox it is. */
    END_USER,
    /** The end user's organisation's mail / identity administrator. */
    MAIL_ADMIN,
    /** The mail provider or server operator. */
    PROVIDER,
    /** The sync platform itself. */
    PLATFORM
}
