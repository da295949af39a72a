package dev.parley.security;

/**
 * Follows the frames a client sends and stops at the first data frame whose declared length is over
 * the limit, as soon as its header is complete (RFC 6455 §5.2): before any of its payload has to be
 * held in memory. Bytes pass through unchanged, except that a header is held back until it is
 * complete, so that a header over the limit is never passed on in part.
 */
final class FrameScanner {

  private static final int CONTINUATION = 0x0;
  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;

  private final long maxTextBytes;
  private final long maxBinaryBytes;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadLeft;
  private int messageOpcode = TEXT;
  private long limitOfRefused;
  private long refusedLength;

  FrameScanner(long maxTextBytes, long maxBinaryBytes) {
    this.maxTextBytes = maxTextBytes;
    this.maxBinaryBytes = maxBinaryBytes;
  }

  /**
   * Scans {@code input[from, to)} and appends to {@code output} what may pass. Returns -1 when all
   * of it may pass; at the first frame over the limit, returns the index just past that frame's
   * header: what came before the header was appended, nothing of the frame or after it was.
   */
  int scan(byte[] input, int from, int to, Bytes output) {
    int i = from;
    while (i < to) {
      if (payloadLeft > 0) {
        int run = (int) Math.min(payloadLeft, to - i);
        output.append(input, i, run);
        payloadLeft -= run;
        i += run;
        continue;
      }
      header[headerLength++] = input[i++];
      if (headerLength == 2) {
        boolean masked = (header[1] & 0x80) != 0;
        int lengthCode = header[1] & 0x7f;
        headerNeeded = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (masked ? 4 : 0);
      }
      if (headerLength == headerNeeded) {
        if (!headerAccepted()) {
          return i;
        }
        output.append(header, 0, headerLength);
        headerLength = 0;
        headerNeeded = 2;
      }
    }
    return -1;
  }

  private boolean headerAccepted() {
    int opcode = header[0] & 0x0f;
    long length = declaredLength();
    if (opcode == TEXT || opcode == BINARY) {
      messageOpcode = opcode;
    }
    boolean data = opcode == TEXT || opcode == BINARY || opcode == CONTINUATION;
    long limit = messageOpcode == BINARY ? maxBinaryBytes : maxTextBytes;
    // a control frame's own limit (125 bytes) is the container's to enforce
    if (data && (length < 0 || length > limit)) {
      limitOfRefused = limit;
      refusedLength = length < 0 ? Long.MAX_VALUE : length;
      return false;
    }
    payloadLeft = Math.max(0, length);
    return true;
  }

  /** The payload length that the refused frame declared. */
  long refusedLength() {
    return refusedLength;
  }

  /** The limit that the refused frame was over. */
  long limitOfRefused() {
    return limitOfRefused;
  }

  /** The payload length of the complete header; negative when its top bit is set (invalid). */
  private long declaredLength() {
    int lengthCode = header[1] & 0x7f;
    if (lengthCode < 126) {
      return lengthCode;
    }
    int bytes = lengthCode == 126 ? 2 : 8;
    long length = 0;
    for (int i = 0; i < bytes; i++) {
      length = (length << 8) | (header[2 + i] & 0xff);
    }
    return length;
  }

  /** A growable byte buffer that is read from the front; it lets go of its array once empty. */
  static final class Bytes {
    private static final byte[] NONE = new byte[0];
    private byte[] data = NONE;
    private int start;
    private int end;

    void append(byte[] source, int offset, int length) {
      if (end + length > data.length) {
        int size = end - start;
        byte[] target = size + length > data.length ? new byte[2 * (size + length)] : data;
        System.arraycopy(data, start, target, 0, size);
        data = target;
        start = 0;
        end = size;
      }
      System.arraycopy(source, offset, data, end, length);
      end += length;
    }

    int size() {
      return end - start;
    }

    /** Moves up to {@code length} bytes into {@code target}; returns how many. */
    int take(byte[] target, int offset, int length) {
      int count = Math.min(length, size());
      System.arraycopy(data, start, target, offset, count);
      start += count;
      if (start == end) {
        data = NONE; // an idle connection holds no buffer
        start = 0;
        end = 0;
      }
      return count;
    }
  }
}
