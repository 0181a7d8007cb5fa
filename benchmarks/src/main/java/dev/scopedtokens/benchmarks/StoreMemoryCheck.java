package dev.scopedtokens.benchmarks;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Measures the heap an {@link InMemoryTokenStore} takes per token: fills a new store with 1,000,000
 * tokens over 100,000 accounts, and reads the used heap after full collections before and after,
 * with the store still reachable. Repeated with a new store each time; every figure is printed.
 * Target: at most 1 KiB per token.
 *
 * <p>The tokens are what the service would store for tokens issued over the API with the default
 * verifier, so the figure is the realistic worst case: a label of 10 to 30 characters, one scope,
 * the creator's client id, IP and user agent, an expiry on half of them and a last use on half, a
 * 32-byte lookup key, and an Argon2id PHC string of the exact length the default verifier writes
 * (random bytes: the store does not read it). Every string is its own instance, as parsed from a
 * request. They go straight through {@link InMemoryTokenStore#update}: a million real Argon2id
 * hashes would take hours and measure nothing about the store.
 *
 * <p>Run (exit status 0 when the target is met in every repeat):
 *
 * <pre>{@code
 * mvn -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.StoreMemoryCheck
 * }</pre>
 *
 * Optional arguments: tokens, accounts, repeats (defaults 1000000 100000 3).
 */
public final class StoreMemoryCheck {
  private static final long TARGET_BYTES_PER_TOKEN = 1_024;
  private static final String[] USER_AGENTS = {
    "docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.10.11-linuxkit os/linux arch/arm64",
    "Docker-Client/27.3.1 (linux)",
    "hub-tool/v0.4.6",
    "Terraform/1.9.8 terraform-provider-docker/0.4.0",
  };

  private StoreMemoryCheck() {}

  /**
   * Runs the check.
   *
   * @param args optionally: tokens, accounts, repeats
   */
  public static void main(String[] args) throws InterruptedException {
    int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.out.printf(
        Locale.ROOT,
        "StoreMemoryCheck: %,d tokens over %,d accounts, %d repeats, Java %s, max heap %,d MiB%n",
        tokens,
        accounts,
        repeats,
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    boolean met = true;
    for (int repeat = 1; repeat <= repeats; repeat++) {
      long before = usedAfterGc(memory);
      InMemoryTokenStore store = fill(tokens, accounts, new SplittableRandom(repeat));
      long after = usedAfterGc(memory);
      double perToken = (after - before) / (double) tokens;
      met &= perToken <= TARGET_BYTES_PER_TOKEN;
      System.out.printf(
          Locale.ROOT,
          "repeat %d: heap used %,d -> %,d bytes: %,.1f bytes per token (%s)%n",
          repeat,
          before,
          after,
          perToken,
          perToken <= TARGET_BYTES_PER_TOKEN ? "within 1 KiB" : "OVER 1 KiB");
      // Keeps the store reachable until the reading above is taken.
      if (store.list("account-0", 0, 1, Instant.EPOCH).total() == 0) {
        throw new IllegalStateException("the store lost account-0");
      }
    }
    System.out.println(met ? "PASS" : "FAIL");
    System.exit(met ? 0 : 1);
  }

  private static InMemoryTokenStore fill(int tokens, int accounts, SplittableRandom random) {
    InMemoryTokenStore store = new InMemoryTokenStore();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    int perAccount = tokens / accounts;
    for (int a = 0; a < accounts; a++) {
      String owner = "account-" + a;
      List<StoredToken> batch = new ArrayList<>(perAccount);
      for (int i = 0; i < perAccount; i++) {
        batch.add(token(new String(owner), start.plusSeconds(a * 60L + i), random));
      }
      store.update(
          owner,
          snapshot -> {
            AccountChange<Boolean> change = AccountChange.none(Boolean.TRUE);
            for (StoredToken t : batch) {
              change = change.andPut(t);
            }
            return change;
          });
    }
    return store;
  }

  private static StoredToken token(String owner, Instant created, SplittableRandom random) {
    Instant createdMicros = created.plusNanos(random.nextInt(1_000_000) * 1_000L);
    AccessToken token =
        new AccessToken(
            new UUID(random.nextLong(), random.nextLong()),
            owner,
            label(random),
            EnumSet.of(Scope.values()[random.nextInt(Scope.values().length)]),
            TokenOrigin.MANUAL,
            true,
            createdMicros,
            random.nextBoolean()
                ? Optional.of(createdMicros.plus(random.nextInt(90), ChronoUnit.DAYS))
                : Optional.empty(),
            random.nextBoolean()
                ? Optional.of(createdMicros.plus(365, ChronoUnit.DAYS))
                : Optional.empty(),
            Optional.empty(),
            ClientInfo.of(
                new String("HUB"),
                "203.0." + random.nextInt(256) + "." + random.nextInt(256),
                new String(USER_AGENTS[random.nextInt(USER_AGENTS.length)])));
    byte[] key = new byte[32];
    byte[] salt = new byte[16];
    byte[] hash = new byte[32];
    fillRandom(key, random);
    fillRandom(salt, random);
    fillRandom(hash, random);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    String phc =
        "$argon2id$v=19$m=19456,t=2,p=1$"
            + base64.encodeToString(salt)
            + "$"
            + base64.encodeToString(hash);
    return StoredToken.of(token, LookupKey.of(key), phc);
  }

  /** A label of 10 to 30 characters, as people name tokens ("CI pipeline for team-app"). */
  private static String label(SplittableRandom random) {
    StringBuilder label = new StringBuilder("token ");
    int length = 10 + random.nextInt(21);
    while (label.length() < length) {
      label.append((char) ('a' + random.nextInt(26)));
    }
    return label.toString();
  }

  private static void fillRandom(byte[] bytes, SplittableRandom random) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
  }

  /** Returns the used heap after collections have stopped freeing anything. */
  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used - 1_024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
