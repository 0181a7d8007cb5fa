package dev.scopedtokens.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenSecret;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileAccountDirectoryTest {
  private static final Argon2idHasher HASHER =
      Argon2idHasher.builder().memoryKiB(1024).iterations(1).build();
  private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP";
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static String yaml;

  @BeforeAll
  static void writeDirectory() {
    yaml =
        """
        accounts:
          alice:
            password: "%s"
          bob:
            password: "%s"
            totp: %s
        namespaces:
          - repositories: "team/*"
            owners: [alice]
            members: {bob: read}
          - repositories: "library/**"
            visibility: public
            owners: [alice]
        catalog: [alice]
        """
            .formatted(
                HASHER.hash(TokenSecret.of("alice-pw")),
                HASHER.hash(TokenSecret.of("bob-pw")),
                TOTP_SECRET);
  }

  private static FileAccountDirectory directory(Instant now) {
    return FileAccountDirectory.parse(yaml, HASHER, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void rightPassword_authenticates_withTwoFactorFlag() {
    FileAccountDirectory directory = directory(NOW);

    assertThat(directory.authenticate("alice", "alice-pw")).contains(new Account("alice", false));
    assertThat(directory.authenticate("bob", "bob-pw")).contains(new Account("bob", true));
  }

  @ParameterizedTest
  @CsvSource({"alice,wrong", "alice,''", "nobody,alice-pw", "'',''"})
  void wrongPasswordOrUnknownAccount_isRefused(String user, String password) {
    assertThat(directory(NOW).authenticate(user, password)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "alice, team/app, PRIVATE, ADMIN",
    "bob, team/app, PRIVATE, READ",
    "bob, team/a/b, PRIVATE, NONE",
    "bob, library/a/b, PUBLIC, NONE",
    "alice, library/a/b, PUBLIC, ADMIN",
    "alice, other/app, PRIVATE, NONE"
  })
  void firstMatchingRule_decidesVisibilityAndAccess(
      String account, String repository, RepositoryVisibility visibility, OwnerAccess access) {
    assertThat(directory(NOW).repositoryAccess(Optional.of(account), repository))
        .isEqualTo(RepositoryAccess.of(visibility, access));
  }

  @Test
  void anonymous_hasNoAccessOfItsOwn() {
    assertThat(directory(NOW).repositoryAccess(Optional.empty(), "library/x"))
        .isEqualTo(RepositoryAccess.of(RepositoryVisibility.PUBLIC, OwnerAccess.NONE));
  }

  @Test
  void catalog_onlyForListedAccounts() {
    assertThat(directory(NOW).mayListCatalog("alice")).isTrue();
    assertThat(directory(NOW).mayListCatalog("bob")).isFalse();
  }

  @Test
  void totpCode_isGoodOnce() throws Exception {
    FileAccountDirectory directory = directory(NOW);
    Account bob = new Account("bob", true);
    String code = code(NOW);

    assertThat(directory.verifySecondFactor(bob, "000000".equals(code) ? "111111" : "000000"))
        .isFalse();
    assertThat(directory.verifySecondFactor(bob, code)).isTrue();
    assertThat(directory.verifySecondFactor(bob, code)).isFalse();
    assertThat(directory.verifySecondFactor(new Account("alice", false), code)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "accounts: {a: {password: plain}} | accounts.a.password: must be an Argon2id PHC string",
        "accounts: {a: {password: '$argon2id$x', pin: 1}} | accounts.a: unknown key pin",
        "namespaces: [{repositories: 'x/*', owners: [ghost]}] | names an account that accounts:"
            + " does not define",
        "namespaces: [{repositories: 'X Y'}] | namespaces[0].repositories: must be",
        "namespaces: [{repositories: 'x', visibility: secret}] | must be private or public",
        "'accounts: [' | not valid YAML at line 1",
        "accounts: {a: {password: '$argon2id$x', totp: JBSWY3DPEHPK3PX}} | accounts.a.totp: must"
            + " hold at least 80 bits",
        "accounts: {a: {password: '$argon2id$x', totp: JBSWY3DP1HPK3PXPJB}} | accounts.a.totp: not"
            + " Base32 at position 8;",
        "accounts: {a: {password: '$argon2id$x', totp: 7}} | accounts.a.totp: must be a Base32"
            + " secret"
      })
  void badFile_isRefused_namingTheKey(String text, String message) {
    assertThatThrownBy(() -> FileAccountDirectory.parse(text, HASHER, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aBadTotpSecret_isNotRepeatedInTheMessage() {
    String text = "accounts: {a: {password: '$argon2id$x', totp: 'SECRET!SECRETSECRET'}}";

    assertThatThrownBy(() -> FileAccountDirectory.parse(text, HASHER, Clock.systemUTC()))
        .hasMessageContaining("accounts.a.totp: not Base32 at position 6")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void toString_showsNoNameHashOrSecret() {
    assertThat(directory(NOW).toString())
        .isEqualTo("FileAccountDirectory[2 accounts, 2 rules]")
        .doesNotContain("alice")
        .doesNotContain("argon2");
  }

  /** RFC 6238 computed independently here, as an authenticator app would. */
  private static String code(Instant at) throws Exception {
    byte[] key = base32(TOTP_SECRET);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(key, "HmacSHA1"));
    byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
    int o = h[19] & 0xf;
    int v =
        ((h[o] & 0x7f) << 24)
            | ((h[o + 1] & 0xff) << 16)
            | ((h[o + 2] & 0xff) << 8)
            | (h[o + 3] & 0xff);
    return String.format("%06d", v % 1_000_000);
  }

  private static byte[] base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteBuffer out = ByteBuffer.allocate(s.length());
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >>> (bits - 8)));
        bits -= 8;
      }
    }
    byte[] key = new byte[out.position()];
    out.flip().get(key);
    return key;
  }
}
