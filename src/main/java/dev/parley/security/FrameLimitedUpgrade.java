package dev.parley.security;

import dev.parley.session.FrameSize;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Stands between the container and Tyrus's upgrade handler and enforces Parley's frame limits on
 * the bytes Tyrus reads. Tyrus reads a frame whole into its buffer before anyone sees its size, and
 * answers a frame over its 4 MiB buffer with 1011 "Buffer overflow." (Tyrus 2.1.5, {@code
 * TyrusWebSocketEngine.TyrusReadHandler}). Here a frame is refused as soon as its header says it is
 * over the limit: the connection then reads as if the client had closed with 1009, so Tyrus answers
 * with a 1009 close frame, the endpoint's {@code @OnClose} sees 1009, and the rest of the frame is
 * never read. A connection never holds more than one read buffer of a frame it refuses.
 */
public class FrameLimitedUpgrade implements HttpUpgradeHandler {

  private HttpUpgradeHandler delegate;
  private long maxTextBytes;
  private long maxBinaryBytes;

  /** The container creates this; {@link #guard} gives it the handler to protect. */
  public FrameLimitedUpgrade() {}

  void guard(HttpUpgradeHandler handler, long maxText, long maxBinary) {
    this.delegate = handler;
    this.maxTextBytes = maxText;
    this.maxBinaryBytes = maxBinary;
  }

  @Override
  public void init(WebConnection connection) {
    delegate.init(new Limited(connection, new FrameScanner(maxTextBytes, maxBinaryBytes)));
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  /** The client's close frame that Tyrus is given instead of a frame over the limit. */
  static byte[] clientCloseTooBig(long limit) {
    byte[] reason = String.format(FrameSize.TOO_BIG, limit).getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(2 + 4 + 2 + reason.length);
    frame.put((byte) 0x88); // FIN, close
    frame.put((byte) (0x80 | (2 + reason.length))); // masked, as every client frame must be
    frame.putInt(0); // a zero mask key leaves the payload as it is
    frame.putShort((short) 1009);
    frame.put(reason);
    return frame.array();
  }

  /** The container's connection, with the input passed through the scanner. */
  private static final class Limited implements WebConnection {
    private final WebConnection connection;
    private final ScannedInput input;

    Limited(WebConnection connection, FrameScanner scanner) {
      this.connection = connection;
      this.input = new ScannedInput(connection, scanner);
    }

    @Override
    public ServletInputStream getInputStream() {
      return input;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return connection.getOutputStream();
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }

  /**
   * The client's bytes as Tyrus reads them: unchanged up to a frame over the limit, then a close
   * frame with 1009, then nothing (the rest stays unread until the connection closes).
   */
  private static final class ScannedInput extends ServletInputStream {
    /** The most read from the container at once; what Tyrus asks for is usually less. */
    private static final int CHUNK = 16384;

    /**
     * A refused frame up to this size is read to its end, and dropped, before the close, so that
     * its client reads the 1009 cleanly. A larger one is closed once what has arrived is dropped:
     * its client may see the connection reset before it reads the close.
     */
    private static final long LONGEST_DRAIN = 1L << 20;

    private final WebConnection connection;
    private final FrameScanner scanner;
    private final FrameScanner.Bytes passed = new FrameScanner.Bytes();
    private ServletInputStream in;
    private boolean refused;
    private boolean closeGiven;
    private long toDrop;

    ScannedInput(WebConnection connection, FrameScanner scanner) {
      this.connection = connection;
      this.scanner = scanner;
    }

    private ServletInputStream in() throws IOException {
      if (in == null) {
        in = connection.getInputStream();
      }
      return in;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (refused) {
        discardWhatArrived();
      } else if (passed.size() == 0) {
        // a buffer per read, as Tyrus itself allocates: an idle connection keeps none
        byte[] chunk = new byte[Math.min(length, CHUNK)];
        int count = in().read(chunk, 0, chunk.length);
        if (count < 0) {
          return count;
        }
        int pastHeader = scanner.scan(chunk, 0, count, passed);
        if (pastHeader >= 0) {
          refused = true;
          long arrived = count - pastHeader;
          long declared = scanner.refusedLength();
          toDrop = declared <= LONGEST_DRAIN ? Math.max(0, declared - arrived) : 0;
          discardWhatArrived();
        }
      }
      return passed.take(target, offset, length);
    }

    /**
     * Reads and drops what has arrived after the refused header, and all of a refused frame of at
     * most {@link #LONGEST_DRAIN}, before Tyrus is given the close: Tyrus closes the socket right
     * after answering it, and bytes left unread then turn the close into a reset, which can destroy
     * the close frame before the client reads it. Nothing of the frame is kept.
     */
    private void discardWhatArrived() throws IOException {
      byte[] sink = new byte[CHUNK];
      while (in().isReady()) {
        int count = in().read(sink, 0, sink.length);
        if (count <= 0) {
          break;
        }
        toDrop = Math.max(0, toDrop - count);
      }
      if (toDrop == 0 && !closeGiven) {
        closeGiven = true;
        byte[] close = clientCloseTooBig(scanner.limitOfRefused());
        passed.append(close, 0, close.length);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int available() throws IOException {
      return passed.size() + (refused ? 0 : in().available());
    }

    @Override
    public boolean isReady() {
      try {
        return passed.size() > 0 || ((!refused || !closeGiven) && in().isReady());
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public boolean isFinished() {
      try {
        return !refused && passed.size() == 0 && in().isFinished();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void setReadListener(ReadListener listener) {
      try {
        in().setReadListener(listener);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws IOException {
      in().close();
    }
  }
}
