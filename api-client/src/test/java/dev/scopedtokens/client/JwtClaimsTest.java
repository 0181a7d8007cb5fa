package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtClaimsTest {
  @Test
  void exp_isReadFromThePayload() {
    assertThat(JwtClaims.read(TestSupport.jwt("{\"exp\":1768471800}")).expiresAt())
        .contains(Instant.ofEpochSecond(1768471800));
  }

  @Test
  void expWrittenAsAFloat_isRead() {
    assertThat(JwtClaims.read(TestSupport.jwt("{\"exp\":1768471800.0}")).expiresAt())
        .contains(Instant.ofEpochSecond(1768471800));
  }

  @Test
  void specExampleWithoutExp_hasNoExpiry() {
    String example =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    assertThat(JwtClaims.read(example).expiresAt()).isEmpty();
  }

  @Test
  void patSource_marksAnAccessTokenSession() {
    assertThat(
            JwtClaims.read(
                    TestSupport.jwt(
                        "{\"source\":\"docker_pat|b30bbf97-506c-4ecd-aabc-842f3cb484fb\"}"))
                .fromAccessToken())
        .isTrue();
    assertThat(JwtClaims.read(TestSupport.jwt("{\"sub\":\"alice\"}")).fromAccessToken()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"opaque", "a.b", "a.!!!.c", "a.bm90IGpzb24.c", "a.WzEsMl0.c"})
  void unreadableTokens_haveNoClaims(String token) {
    JwtClaims claims = JwtClaims.read(token);

    assertThat(claims.expiresAt()).isEmpty();
    assertThat(claims.source()).isEmpty();
  }
}
