package io.inos.graceful;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampsTest {

  @Test
  void writesWhatInstantToStringWrites() {
    long[][] cases = {
      {0, 0}, {0, 1_000_000}, {0, 1_000}, {0, 1}, {0, 999_999_999}, {-1, 5}, {1_795_795_200L, 120_000_000},
      {253_402_300_799L, 0}, {253_402_300_800L, 1}, {-62_167_219_201L, 0},
    };
    for (long[] c : cases) {
      Instant instant = Instant.ofEpochSecond(c[0], c[1]);
      assertEquals(instant.toString(), Timestamps.format(instant));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      // several instants in the same second, then another second, as the cache of the last second sees them
      Instant instant = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(3), random.nextInt(1_000_000_000));
      assertEquals(instant.toString(), Timestamps.format(instant));
      Instant millis = Instant.ofEpochMilli(instant.toEpochMilli());
      assertEquals(millis.toString(), Timestamps.format(millis));
    }
  }
}
