package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bound on concurrent Argon2 work: with two slots and eight callers, two calls run in native
 * code and six wait, however the threads are scheduled. Calls are held inside the native binding
 * (see {@link ObservedArgon2}) until the test has seen the queue, so nothing depends on timing.
 */
class Argon2idConcurrencyTest {
  private static final int SLOTS = 2;
  private static final int CALLERS = 8;

  private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  @Test
  // Guards against a hang if the bound were broken in a way that never fills the queue.
  @Timeout(120)
  void atMostMaxConcurrentHashesRunInNativeCodeAtOnce() throws Exception {
    ObservedArgon2 observed = new ObservedArgon2(Argon2idHasher.nativeArgon2id());
    Argon2idHasher hasher =
        Argon2idHasher.builder()
            .memoryKiB(64)
            .iterations(1)
            .maxConcurrentHashes(SLOTS)
            .random(SeededRandom.of(5))
            .argon2(observed::binding)
            .build();
    CountDownLatch entered = new CountDownLatch(SLOTS);
    CountDownLatch release = new CountDownLatch(1);
    observed.holdCalls(entered, release);

    List<TokenSecret> tokens = new ArrayList<>();
    List<Future<String>> hashes = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      TokenSecret token = TokenFormat.defaults().generate(SeededRandom.of(i));
      tokens.add(token);
      hashes.add(callers.submit(() -> hasher.hash(token)));
    }

    entered.await();
    // The jsr166 idiom for "these threads are now blocked": yield until the queue shows them.
    // A broken bound lets a third call in instead, which ends the wait and fails below.
    while (hasher.callersWaiting() < CALLERS - SLOTS && observed.inside() <= SLOTS) {
      Thread.yield();
    }
    assertThat(observed.inside()).isEqualTo(SLOTS);
    assertThat(hasher.callersWaiting()).isEqualTo(CALLERS - SLOTS);

    release.countDown();
    for (int i = 0; i < CALLERS; i++) {
      assertThat(hasher.verify(hashes.get(i).get(), tokens.get(i))).isTrue();
    }
    assertThat(observed.maxInside()).isEqualTo(SLOTS);
  }
}
