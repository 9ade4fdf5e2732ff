package katapult.util;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream that counts what is read from it into a {@link TransferMeter}. */
public final class MeteredInputStream extends FilterInputStream {

    private final TransferMeter meter;

    public MeteredInputStream(InputStream in, TransferMeter meter) {
        super(in);
        this.meter = meter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            meter.add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            meter.add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        meter.add(skipped);
        return skipped;
    }
}
