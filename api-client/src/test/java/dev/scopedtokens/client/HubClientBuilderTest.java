package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.testkit.ScriptedHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The builder checks each setting where it is given, and the combination at build(). */
class HubClientBuilderTest {
  @Test
  void defaultBaseUri_isDockerHub() {
    assertThat(HubClient.builder().credentials(bearer()).build().baseUri())
        .isEqualTo(URI.create("https://hub.docker.com"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080",
        "http://127.0.0.1:1",
        "http://[::1]:9000",
        "https://hub.example.test",
        "HTTPS://Hub.Example.Test/"
      })
  void allowedBaseUris_areAccepted(String uri) {
    assertThat(HubClient.builder().baseUri(uri).credentials(bearer()).build().baseUri().toString())
        .doesNotEndWith("/");
  }

  @Test
  void plainHttpToARemoteHost_isRefused() {
    assertThatThrownBy(() -> HubClient.builder().baseUri("http://hub.example.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "baseUri: http is allowed only on a loopback host (localhost, 127.0.0.1, ::1), not"
                + " hub.example.test; use https");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hub.docker.com",
        "/v2",
        "ftp://hub.example.test",
        "https://user:pw@hub.example.test",
        "https://hub.example.test/?x=1",
        "https://hub.example.test/#f"
      })
  void otherBaseUris_areRefusedNamingTheField(String uri) {
    assertThatThrownBy(() -> HubClient.builder().baseUri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseUri: ")
        .hasMessageNotContaining("pw@");
  }

  @Test
  void missingCredentials_failAtBuild() {
    assertThatThrownBy(() -> HubClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("credentials: not set");
  }

  @Test
  void httpClientThatFollowsRedirects_isRefused() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    assertThatThrownBy(() -> HubClient.builder().httpClient(following))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("follows redirects (NORMAL)")
        .hasMessageContaining("Redirect.NEVER");
  }

  @Test
  void connectTimeoutWithOwnHttpClient_isAContradiction() {
    HubClient.Builder builder =
        HubClient.builder()
            .credentials(bearer())
            .httpClient(ScriptedHttpClient.create())
            .connectTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("connectTimeout: ");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 3601})
  void outOfRangeTimeouts_areRefused(long seconds) {
    assertThatThrownBy(() -> HubClient.builder().requestTimeout(Duration.ofSeconds(seconds)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("requestTimeout: ");
  }

  @Test
  void applicationWithControlCharacters_isRefused() {
    assertThatThrownBy(() -> HubClient.builder().application("tool\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("application: ");
  }

  @Test
  void builderToString_showsNoSecret() {
    assertThat(
            HubClient.builder().credentials(Credentials.password("alice", "hunter22")).toString())
        .contains("alice")
        .doesNotContain("hunter22");
  }

  @Test
  void retryPolicyDefaults_areSensible() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThat(policy.maxAttempts()).isEqualTo(4);
    assertThat(policy.baseDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.maxTotalWait()).isEqualTo(Duration.ofSeconds(60));
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void retryPolicy_isAValue() {
    assertThat(RetryPolicy.builder().maxAttempts(4).build())
        .isEqualTo(RetryPolicy.defaults())
        .hasSameHashCodeAs(RetryPolicy.defaults());
    assertThat(RetryPolicy.defaults().toString()).contains("maxAttempts=4");
  }

  @Test
  void retryPolicyWithBaseAboveCap_isAContradiction() {
    RetryPolicy.Builder builder =
        RetryPolicy.builder().baseDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lower baseDelay or raise maxDelay");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101})
  void retryPolicyAttemptsOutOfRange_areRefused(int attempts) {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(attempts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxAttempts: " + attempts + " is out of range");
  }

  @Test
  void emptyPassword_isRefused() {
    assertThatThrownBy(() -> Credentials.password("alice", ""))
        .hasMessage("password: must not be empty");
  }
}
