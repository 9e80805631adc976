package io.synctriage.source.importer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the evidence import, PID {@value #PID} ({@code etc/io.synctriage.importer.cfg}).
 * Property names are the method names with {@code _} read as {@code .} (e.g. {@code max.body.bytes}).
 */
@ObjectClassDefinition(name = "Synctriage evidence import",
        description = "Limits of POST /api/v1/evidence and triage:import, and the demo fleet.")
@interface ImporterConfig {

    String PID = "io.synctriage.importer";

    long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
    int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
    int DEFAULT_BATCH_SIZE = 1000;
    int DEFAULT_MAX_CONCURRENT_IMPORTS = 4;
    int DEFAULT_MAX_REJECTED_LISTED = 1000;

    @AttributeDefinition(name = "Maximum body size (bytes)", min = "1",
            description = "Largest body accepted by POST /api/v1/evidence; larger bodies get 413.")
    long max_body_bytes() default DEFAULT_MAX_BODY_BYTES;

    @AttributeDefinition(name = "Maximum NDJSON line (bytes)", min = "64",
            description = "Longest NDJSON line; a longer line is rejected (the rest of the file is still read).")
    int max_line_bytes() default DEFAULT_MAX_LINE_BYTES;

    @AttributeDefinition(name = "Batch size (records)", min = "1", max = "100000",
            description = "Records stored per store transaction.")
    int batch_size() default DEFAULT_BATCH_SIZE;

    @AttributeDefinition(name = "Maximum concurrent imports", min = "1",
            description = "Imports running at the same time; beyond it the API answers 503 with Retry-After.")
    int max_concurrent_imports() default DEFAULT_MAX_CONCURRENT_IMPORTS;

    @AttributeDefinition(name = "Rejected records listed", min = "1",
            description = "At most this many rejected records are listed in an answer (all are counted).")
    int max_rejected_listed() default DEFAULT_MAX_REJECTED_LISTED;

    @AttributeDefinition(name = "Load the demo fleet",
            description = "On start with an EMPTY evidence store, load the bundled demo fleet (a few hundred "
                    + "accounts covering every branch of the decision tree), shifted so that its latest event "
                    + "is one hour before the load. Set to false in production.")
    boolean demo_enabled() default true;
}
