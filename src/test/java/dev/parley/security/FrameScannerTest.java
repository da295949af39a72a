package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameScannerTest {

  private static final int LIMIT = 1000;

  private final FrameScanner scanner = new FrameScanner(LIMIT, LIMIT);
  private final FrameScanner.Bytes passed = new FrameScanner.Bytes();

  @Test
  void framesWithinTheLimitPassUnchangedHoweverTheyAreSplit() {
    byte[] stream =
        concat(
            frame(0x1, true, 5),
            frame(0x9, true, 3), // a ping with a payload
            frame(0x1, true, 300),
            frame(0x2, true, LIMIT),
            frame(0x8, true, 5)); // a close with a code and a reason
    for (int size = 1; size <= stream.length; size += 7) {
      FrameScanner fresh = new FrameScanner(LIMIT, LIMIT);
      FrameScanner.Bytes out = new FrameScanner.Bytes();
      for (int from = 0; from < stream.length; from += size) {
        assertEquals(-1, fresh.scan(stream, from, Math.min(stream.length, from + size), out));
      }
      assertArrayEquals(stream, drain(out), "in pieces of " + size);
    }
  }

  @Test
  void aFrameOverTheLimitIsRefusedByItsHeaderAndNothingOfItPasses() {
    byte[] first = frame(0x1, true, 10);
    byte[] stream = concat(first, Arrays.copyOf(frame(0x1, true, LIMIT + 1), 20));
    assertEquals(first.length + 8, scanner.scan(stream, 0, stream.length, passed)); // 2 + 2 + 4
    assertEquals(LIMIT + 1, scanner.refusedLength());
    assertArrayEquals(first, drain(passed));
  }

  @Test
  void aHeaderSplitAcrossReadsIsHeldBackUntilItIsJudged() {
    byte[] big = frame(0x2, true, 70_000);
    assertEquals(-1, scanner.scan(big, 0, 3, passed));
    assertArrayEquals(new byte[0], drain(passed));
    assertEquals(14, scanner.scan(big, 3, 14, passed));
    assertArrayEquals(new byte[0], drain(passed));
  }

  @Test
  void aContinuationIsJudgedByTheLimitOfItsMessage() {
    FrameScanner textSmall = new FrameScanner(10, 1000);
    byte[] stream = concat(frame(0x2, false, 5), frame(0x0, true, 500));
    assertEquals(-1, textSmall.scan(stream, 0, stream.length, passed));
    byte[] text = concat(frame(0x1, false, 5), frame(0x0, true, 500));
    assertTrue(new FrameScanner(10, 1000).scan(text, 0, text.length, passed) > 0);
  }

  @Test
  void aLengthWithItsTopBitSetIsRefused() {
    byte[] header = {(byte) 0x81, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    assertEquals(header.length, scanner.scan(header, 0, header.length, passed));
    assertEquals(Long.MAX_VALUE, scanner.refusedLength());
  }

  /** A masked frame as a client sends it, with a payload of {@code length} bytes. */
  private static byte[] frame(int opcode, boolean fin, int length) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      frame.write(0x80 | length);
    } else if (length < 65536) {
      frame.write(0x80 | 126);
      frame.write(length >>> 8);
      frame.write(length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) length >>> shift));
      }
    }
    frame.writeBytes(new byte[] {1, 2, 3, 4});
    for (int i = 0; i < length; i++) {
      frame.write('a' + i % 26);
    }
    return frame.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  private static byte[] drain(FrameScanner.Bytes bytes) {
    byte[] out = new byte[bytes.size()];
    bytes.take(out, 0, out.length);
    return out;
  }
}
