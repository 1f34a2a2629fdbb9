package ch.cern.alice.lakehouse.collector.intake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and fails with {@link BodyTooLargeException} once more than the limit were read.
 * Put one in front of and one behind a gzip decoder: the second one stops gzip bombs.
 */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long count;

    public LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw new BodyTooLargeException("the " + what + " exceeds the limit of " + limit + " bytes");
        }
    }
}
