package io.stagedrollout.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint on 127.0.0.1 that misbehaves the way real ones do: it never answers, trickles its body a byte at a
 * time after prompt headers, or sends a body far larger than anyone should read. Every connection is served by its
 * own thread and dropped when the server is closed, so a test never leaves it running.
 */
public final class HostileHttpServer implements AutoCloseable {
    public enum Mode {
        /** Accepts the connection, reads the request and never writes a byte. */
        SILENT,
        /** Sends the headers at once, then one byte of body every {@code TRICKLE_EVERY_MS}. */
        TRICKLE,
        /** Sends {@code 200 OK} and a body of {@code hugeBytes} as fast as the client reads. */
        HUGE
    }

    static final long TRICKLE_EVERY_MS = 500;

    private final ServerSocket socket;
    private final Mode mode;
    private final long hugeBytes;
    private final CopyOnWriteArrayList<Socket> open = new CopyOnWriteArrayList<>();
    /** Requests seen (their first lines). */
    public final CopyOnWriteArrayList<String> requests = new CopyOnWriteArrayList<>();
    /** Body bytes written in total, to show that a client stopped reading. */
    public final AtomicInteger bodyBytesWritten = new AtomicInteger();
    private volatile boolean closed;

    public HostileHttpServer(Mode mode) throws IOException {
        this(mode, 0);
    }

    public HostileHttpServer(Mode mode, long hugeBytes) throws IOException {
        this.mode = mode;
        this.hugeBytes = hugeBytes;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "hostile-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "hostile-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
                if (head.length() > 65536) return;
            }
            requests.add(head.toString().split("\r\n", 2)[0]);
            OutputStream out = s.getOutputStream();
            switch (mode) {
                case SILENT -> {
                    while (!closed && in.read() >= 0) {
                        // hold the connection open, answering nothing
                    }
                }
                case TRICKLE -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int i = 0; i < 100000 && !closed; i++) {
                        out.write(i == 0 ? '{' : ' ');
                        out.flush();
                        bodyBytesWritten.incrementAndGet();
                        Thread.sleep(TRICKLE_EVERY_MS);
                    }
                }
                case HUGE -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + hugeBytes + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "# filler line of a very large exposition\n".repeat(1600).getBytes(StandardCharsets.US_ASCII);
                    long left = hugeBytes;
                    while (left > 0 && !closed) {
                        int n = (int) Math.min(left, chunk.length);
                        out.write(chunk, 0, n);
                        bodyBytesWritten.addAndGet(n);
                        left -= n;
                    }
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is closing
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
