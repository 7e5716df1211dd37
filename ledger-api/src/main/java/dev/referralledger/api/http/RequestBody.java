package dev.referralledger.api.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The request body as it streams in: refused past the size limit, and digested on the way, so that an
 * idempotent retry can be compared with the original request without keeping the body in memory.
 */
public final class RequestBody extends HttpServletRequestWrapper {

    public static final String ATTRIBUTE = RequestBody.class.getName();

    /** Thrown when the body grows past the limit; answered 413. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("The request body is larger than " + limit + " bytes.");
        }
    }

    private final long limit;
    private final MessageDigest digest;
    private final ServletInputStream in;
    private long read;

    RequestBody(HttpServletRequest request, long limit) throws IOException {
        super(request);
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((request.getMethod() + " " + request.getRequestURI() + "\n").getBytes());
        ServletInputStream source = request.getInputStream();
        this.in = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                int b = source.read();
                if (b >= 0) {
                    count(1);
                    digest.update((byte) b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = source.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                    digest.update(buffer, offset, n);
                }
                return n;
            }

            @Override
            public boolean isFinished() {
                return source.isFinished();
            }

            @Override
            public boolean isReady() {
                return source.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                source.setReadListener(listener);
            }
        };
    }

    private void count(int n) throws TooLarge {
        read += n;
        if (read > limit) {
            throw new TooLarge(limit);
        }
    }

    @Override
    public ServletInputStream getInputStream() {
        return in;
    }

    /** Reads what the parser left (trailing white space) and returns the hex SHA-256 of method, path and body. */
    public String fingerprint() {
        try {
            byte[] rest = new byte[1024];
            while (in.read(rest, 0, rest.length) > 0) {
                // drained into the digest
            }
        } catch (IOException e) {
            // the body is as complete as it will get
        }
        try {
            // a copy, so that asking twice gives the same answer
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
