package io.synctriage.model;

import java.util.List;

/**
 * Step ids of the triage decision tree (spec/decision-tree.md), in the order every trace lists
 * them. Provider bundles add their own steps after S5/S6, with ids prefixed by their provider
 * (e.g. {@code MS_AADSTS_CODE}).
 */
public final class Steps {
    public static final String S1_APP_REVOKED = "S1_APP_REVOKED";
    public static final String S2_DOMAIN_PATTERN = "S2_DOMAIN_PATTERN";
    public static final String S3_SAME_TIME = "S3_SAME_TIME";
    public static final String S4_AUTH_TYPE = "S4_AUTH_TYPE";
    public static final String S5_BASIC_AUTH = "S5_BASIC_AUTH";
    public static final String S6_OAUTH = "S6_OAUTH";

    /** S1..S6 in procedure order. */
    public static final List<String> PROCEDURE = List.of(
            S1_APP_REVOKED, S2_DOMAIN_PATTERN, S3_SAME_TIME, S4_AUTH_TYPE, S5_BASIC_AUTH, S6_OAUTH);

    private Steps() {
    }
}
