package dev.scopedtokens.server.jwt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The keys a token server holds: every key is published (in the certificate bundle and the JWKS),
 * and the newest key that is already {@linkplain SigningKey#activeFrom() active} signs. To rotate
 * without a registry outage, add the new key with an activation time in the future, publish the
 * bundle or JWKS to the registry, and drop the old key once the last tokens it signed have expired.
 *
 * <pre>{@code
 * SigningKeys keys = SigningKeys.of(oldKey, newKey.withActiveFrom(tomorrow));
 * Files.writeString(bundle, keys.certificateBundlePem());   // registry 2.8: rootcertbundle
 * Files.writeString(jwks, keys.jwks(KeyIdMode.JWKS));        // registry 3.x: jwks
 * }</pre>
 */
public final class SigningKeys {
  private final List<SigningKey> keys;

  private SigningKeys(List<SigningKey> keys) {
    this.keys = keys;
  }

  /**
   * The given keys, in the given order.
   *
   * @throws IllegalArgumentException if there is none, or two share a public key or a chosen key id
   */
  public static SigningKeys of(SigningKey... keys) {
    Objects.requireNonNull(keys, "keys");
    return of(List.of(keys));
  }

  /**
   * The given keys, in the given order.
   *
   * @throws IllegalArgumentException if there is none, or two share a public key or a chosen key id
   */
  public static SigningKeys of(List<SigningKey> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys: give at least one signing key");
    }
    Set<String> fingerprints = new HashSet<>();
    Set<String> chosen = new HashSet<>();
    for (SigningKey key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
      if (!fingerprints.add(key.libtrustFingerprint())) {
        throw new IllegalArgumentException(
            "keys: the key " + key.libtrustFingerprint() + " is given twice; give each key once");
      }
      key.chosenKeyId()
          .ifPresent(
              id -> {
                if (!chosen.add(id)) {
                  throw new IllegalArgumentException(
                      "keys: two keys have the key id " + id + "; give each key its own id");
                }
              });
    }
    return new SigningKeys(List.copyOf(keys));
  }

  /** Every key, in the order given. */
  public List<SigningKey> all() {
    return keys;
  }

  /**
   * The key that signs at {@code now}: the one with the latest activation time not after {@code
   * now}. If none is active yet (a clock set back), the earliest to become active.
   */
  public SigningKey signingKey(Instant now) {
    Objects.requireNonNull(now, "now");
    SigningKey newest = null;
    for (SigningKey key : keys) {
      if (!key.activeFrom().isAfter(now)
          && (newest == null || key.activeFrom().isAfter(newest.activeFrom()))) {
        newest = key;
      }
    }
    return newest != null
        ? newest
        : keys.stream().min(Comparator.comparing(SigningKey::activeFrom)).orElseThrow();
  }

  /** Whether some key is active at {@code now}. */
  public boolean anyActive(Instant now) {
    return keys.stream().anyMatch(k -> !k.activeFrom().isAfter(now));
  }

  /**
   * The certificates for a registry's {@code rootcertbundle}: the last certificate of each key's
   * chain (its root), as PEM, without duplicates.
   */
  public String certificateBundlePem() {
    StringBuilder out = new StringBuilder();
    Set<String> seen = new HashSet<>();
    for (SigningKey key : keys) {
      List<java.security.cert.X509Certificate> chain = key.certificateChain();
      java.security.cert.X509Certificate root = chain.get(chain.size() - 1);
      String encoded = java.util.Base64.getEncoder().encodeToString(SigningKey.encoded(root));
      if (seen.add(encoded)) {
        out.append("-----BEGIN CERTIFICATE-----\n")
            .append(
                java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(SigningKey.encoded(root)))
            .append("\n-----END CERTIFICATE-----\n");
      }
    }
    return out.toString();
  }

  /**
   * A JWKS document (RFC 7517) listing every key's public half under the key id it carries in
   * {@code mode} (see {@link SigningKey#keyId(KeyIdMode)}), with {@code alg} and {@code use}: what
   * registry 3.x's {@code jwks} option reads. EC coordinates are padded to 32 bytes, as RFC 7518
   * requires.
   */
  public String jwks(KeyIdMode mode) {
    Objects.requireNonNull(mode, "mode");
    List<String> entries = new ArrayList<>();
    for (SigningKey key : keys) {
      entries.add(
          "{"
              + key.jwkMembers(true)
              + ",\"kid\":\""
              + key.keyId(mode)
              + "\",\"alg\":\""
              + key.algorithm()
              + "\",\"use\":\"sig\"}");
    }
    return "{\"keys\":[" + String.join(",", entries) + "]}";
  }

  /** The keys' metadata; never key material. */
  @Override
  public String toString() {
    return "SigningKeys" + keys;
  }
}
