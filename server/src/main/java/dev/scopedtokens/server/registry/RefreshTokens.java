package dev.scopedtokens.server.registry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens refresh tokens.
 *
 * <p>A refresh token is the credential it came from (a personal access token, or a password where
 * that is allowed), with its owner, sealed with AES-256-GCM under a server key and bound to this
 * service and issuer. The server stores nothing: on every use the token is opened and the
 * credential inside is checked again exactly as a login would check it (a personal access token
 * through the core's {@code TokenVerifier}, so last use, events and the cache behave as for any
 * login). A refresh token therefore dies with its credential: deactivating, revoking, expiring or
 * deleting the access token (or changing the password) ends it at the next refresh, with no list of
 * refresh tokens to keep in step.
 *
 * <p>Why sealed rather than a signed token id: a leaked signing key would let anyone mint a refresh
 * token for any token id (ids are not secret); a leaked sealing key only opens refresh tokens that
 * were themselves stolen, and those already work until their access token dies.
 *
 * <p>Layout, base64url without padding after the {@code str1.} prefix: version (1), nonce (12),
 * then the sealed kind (1), issued-at seconds (8), owner length (2), owner and credential (UTF-8),
 * and the 16-byte tag.
 */
final class RefreshTokens {
  static final String PREFIX = "str1.";
  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  /** Longer than any token this class seals: an owner and a credential of bounded size. */
  static final int MAX_LENGTH = 4096;

  enum Kind {
    ACCESS_TOKEN,
    PASSWORD
  }

  /** What a refresh token held. The credential is a secret: this record is never logged. */
  record Opened(Kind kind, String owner, String credential, Instant issuedAt) {
    @Override
    public String toString() {
      return "Opened[" + kind + ", " + owner + ", issued " + issuedAt + "]";
    }
  }

  private final List<RefreshTokenKey> keys;
  private final byte[] associatedData;
  private final SecureRandom random;

  RefreshTokens(List<RefreshTokenKey> keys, String service, String issuer, SecureRandom random) {
    this.keys = List.copyOf(keys);
    this.associatedData =
        ("scopedtokens registry refresh token\0" + service + "\0" + issuer)
            .getBytes(StandardCharsets.UTF_8);
    this.random = random;
  }

  String seal(Kind kind, String owner, String credential, Instant issuedAt) {
    byte[] ownerBytes = owner.getBytes(StandardCharsets.UTF_8);
    byte[] credentialBytes = credential.getBytes(StandardCharsets.UTF_8);
    ByteBuffer plain = ByteBuffer.allocate(1 + 8 + 2 + ownerBytes.length + credentialBytes.length);
    plain.put((byte) kind.ordinal()).putLong(issuedAt.getEpochSecond());
    plain.putShort((short) ownerBytes.length).put(ownerBytes).put(credentialBytes);
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(0).secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plain.array());
      ByteBuffer out = ByteBuffer.allocate(1 + NONCE + sealed.length);
      out.put(VERSION).put(nonce).put(sealed);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK failed to seal with AES-GCM", e);
    } finally {
      java.util.Arrays.fill(plain.array(), (byte) 0);
    }
  }

  /** The refresh token's content, or empty for anything this server did not seal. */
  Optional<Opened> open(String refreshToken) {
    if (refreshToken.length() > MAX_LENGTH || !refreshToken.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(refreshToken.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length < 1 + NONCE + TAG_BITS / 8 + 11 || raw[0] != VERSION) {
      return Optional.empty();
    }
    for (RefreshTokenKey key : keys) {
      byte[] plain;
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
            Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, raw, 1, NONCE));
        cipher.updateAAD(associatedData);
        plain = cipher.doFinal(raw, 1 + NONCE, raw.length - 1 - NONCE);
      } catch (AEADBadTagException e) {
        continue; // sealed under another key, or forged
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK failed to open with AES-GCM", e);
      }
      try {
        return parse(plain);
      } finally {
        java.util.Arrays.fill(plain, (byte) 0);
      }
    }
    return Optional.empty();
  }

  private static Optional<Opened> parse(byte[] plain) {
    ByteBuffer in = ByteBuffer.wrap(plain);
    int kind = in.get();
    if (kind < 0 || kind >= Kind.values().length) {
      return Optional.empty();
    }
    long issued = in.getLong();
    int ownerLength = Short.toUnsignedInt(in.getShort());
    if (ownerLength == 0 || ownerLength > in.remaining() - 1) {
      return Optional.empty();
    }
    try {
      var decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      String owner = decoder.decode(ByteBuffer.wrap(plain, in.position(), ownerLength)).toString();
      int start = in.position() + ownerLength;
      String credential =
          decoder.decode(ByteBuffer.wrap(plain, start, plain.length - start)).toString();
      return Optional.of(
          new Opened(Kind.values()[kind], owner, credential, Instant.ofEpochSecond(issued)));
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
