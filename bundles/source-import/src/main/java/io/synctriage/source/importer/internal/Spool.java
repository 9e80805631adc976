package io.synctriage.source.importer.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request body kept so it can be read twice (the JSON-object form is checked whole before anything
 * is stored): in memory while small, in a temporary file beyond {@link #MEMORY_THRESHOLD}, so that a
 * 64 MiB import does not sit on the heap. Closing deletes the file.
 */
final class Spool implements Closeable {

    static final int MEMORY_THRESHOLD = 1024 * 1024;

    private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private Path file;
    private long size;

    /** Copies the whole stream (the caller bounds it, e.g. with a {@link LimitedInputStream}). */
    static Spool of(InputStream in) throws IOException {
        Spool spool = new Spool();
        try {
            spool.copy(in);
            return spool;
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    private void copy(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        OutputStream out = memory;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                size += n;
                if (file == null && size > MEMORY_THRESHOLD) {
                    file = Files.createTempFile("synctriage-import-", ".json");
                    out = Files.newOutputStream(file);
                    memory.writeTo(out);
                    memory = null;
                }
                out.write(buffer, 0, n);
            }
        } finally {
            if (out != memory) {
                out.close();
            }
        }
    }

    InputStream open() throws IOException {
        return file != null ? new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024) : new ByteArrayInputStream(memory.toByteArray());
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        memory = null;
        if (file != null) {
            Files.deleteIfExists(file);
            file = null;
        }
    }
}
