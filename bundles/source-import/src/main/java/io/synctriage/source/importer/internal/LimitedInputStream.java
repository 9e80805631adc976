package io.synctriage.source.importer.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read and fails once more than a limit arrive: request bodies sent chunked declare
 * no length, and a declared length may lie.
 */
final class LimitedInputStream extends FilterInputStream {

    /** The body exceeded the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;

        TooLargeException(long limit) {
            super("the body exceeds the limit of " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLargeException {
        count += n;
        if (count > limit) {
            throw new TooLargeException(limit);
        }
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }
}
