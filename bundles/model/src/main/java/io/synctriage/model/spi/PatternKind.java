package io.synctriage.model.spi;

/** The fleet patterns of S2/S3, in precedence order (the first that matches wins). */
public enum PatternKind {
    /** One provider family, ≥ 3 unrelated domains, one window, one error kind. */
    PROVIDER_WIDE,
    /** ≥ 2 accounts of one domain failed within the cluster window. */
    SAME_MOMENT,
    /** Accounts of one domain fail a near-constant time after their own (re)authentication. */
    RECURRING,
    /** A provider schedule across domains (e.g. Google Testing mode: 7 days after each auth). */
    SCHEDULE,
    /**
     * One account that fails again soon after each re-authentication or restart (fleet incidents only).
     *
     * @since 1.1
     */
    FLAPPING
}
