package dev.scopedtokens.secret;

import de.mkammerer.argon2.Argon2Factory;

/**
 * Run in a fresh JVM by {@link Argon2ModulePathTest}: builds a small {@link Argon2idHasher}, hashes
 * and verifies one token, and prints one line saying which modules did the work, e.g. {@code
 * core=dev.scopedtokens.core argon2=de.mkammerer.argon2.nolibs verified=true}. Unnamed modules
 * print as {@code unnamed}. When construction fails it prints {@code error=} and the message.
 */
final class Argon2ModeProbe {
  private Argon2ModeProbe() {}

  public static void main(String[] args) {
    Argon2idHasher hasher;
    try {
      hasher = Argon2idHasher.builder().memoryKiB(64).iterations(1).maxConcurrentHashes(1).build();
    } catch (IllegalStateException e) {
      System.out.println("error=" + e.getMessage());
      return;
    }
    TokenSecret token = TokenFormat.defaults().generate(SeededRandom.of(42));
    boolean verified = hasher.verify(hasher.hash(token), token);
    System.out.println(
        "core="
            + moduleOf(Argon2idHasher.class)
            + " argon2="
            + moduleOf(Argon2Factory.class)
            + " verified="
            + verified);
  }

  private static String moduleOf(Class<?> type) {
    Module module = type.getModule();
    return module.isNamed() ? module.getName() : "unnamed";
  }
}
