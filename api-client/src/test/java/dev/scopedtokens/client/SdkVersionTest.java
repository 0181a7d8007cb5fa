package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SdkVersionTest {
  @Test
  void version_isTheOneThisBuildMade() {
    assertThat(SdkVersion.version())
        .isEqualTo(System.getProperty("scopedtokens.expectedVersion"))
        .doesNotContain("${");
  }

  @Test
  void userAgent_namesTheSdkItsVersionAndJava() {
    assertThat(SdkVersion.userAgent())
        .matches(
            "scopedtokens-api-client/"
                + java.util.regex.Pattern.quote(SdkVersion.version())
                + " Java/\\d+(\\.\\d+)*");
  }
}
