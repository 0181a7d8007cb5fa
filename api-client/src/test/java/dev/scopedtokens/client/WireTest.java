package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.client.internal.Wire;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.TokenOrigin;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire format: every example body from the OpenAPI file and the notes, and tolerant reading.
 */
class WireTest {
  private static final URI LIST =
      URI.create("https://hub.docker.com/v2/access-tokens?page=1&page_size=10");

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode tree(String json) throws IOException {
    return WireFormat.MAPPER.readTree(json);
  }

  private static HubAccessToken token(String json) throws WireException {
    return WireFormat.token(WireFormat.read(bytes(json), Wire.TokenBody.class), "token");
  }

  private static String withField(String field, String valueJson) {
    return "{\"uuid\":\"b30bbf97-506c-4ecd-aabc-842f3cb484fb\",\"created_at\":\"2021-07-20T12:00:00Z\","
        + "\"is_active\":true,\"token_label\":\"t\",\"scopes\":[\"repo:read\"]"
        + (field == null ? "" : ",\"" + field + "\":" + valueJson)
        + "}";
  }

  @Test
  void createdTokenExample_mapsEveryField() throws Exception {
    CreatedAccessToken created = WireFormat.created(bytes(example("access-token.json")));

    HubAccessToken token = created.token();
    assertThat(token.uuid()).isEqualTo(UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb"));
    assertThat(token.clientId()).contains("HUB");
    assertThat(token.creatorIp()).contains("127.0.0.1");
    assertThat(token.creatorUserAgent()).contains("some user agent");
    assertThat(token.createdAt()).isEqualTo(Instant.parse("2021-07-20T12:00:00Z"));
    assertThat(token.lastUsedAt()).isEmpty();
    assertThat(token.generatedBy()).isEqualTo("manual");
    assertThat(token.origin()).contains(TokenOrigin.MANUAL);
    assertThat(token.active()).isTrue();
    assertThat(token.label()).isEqualTo("My read only token");
    assertThat(token.scopes()).containsExactly("repo:read");
    assertThat(token.knownScopes()).containsExactly(Scope.REPO_READ);
    assertThat(token.expiresAt()).contains(Instant.parse("2021-10-28T18:30:19.520861Z"));
    assertThat(created.secret().reveal()).isEqualTo("a7a5ef25-8889-43a0-8cc7-f2a94268e861");
  }

  @Test
  void getTokenExample_mapsWithoutSecret() throws Exception {
    HubAccessToken token = token(example("access-token-get.json"));

    assertThat(token.label()).isEqualTo("My read only token");
    assertThat(token.toString()).doesNotContain("a7a5ef25");
  }

  @Test
  void createdResponseWithoutSecret_isUnreadable() {
    assertThatThrownBy(() -> WireFormat.created(bytes(example("access-token-get.json"))))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("token.token");
  }

  @Test
  void createdToken_toStringHidesSecret() throws Exception {
    CreatedAccessToken created = WireFormat.created(bytes(example("access-token.json")));

    assertThat(created.toString()).doesNotContain("a7a5ef25-8889-43a0-8cc7-f2a94268e861");
  }

  @Test
  void pageExample_mapsCountsAndResults() throws Exception {
    AccessTokenPage page = WireFormat.page(bytes(example("access-token-page.json")), LIST);

    assertThat(page.count()).isEqualTo(1);
    assertThat(page.activeCount()).isEqualTo(1);
    assertThat(page.next()).isEmpty();
    assertThat(page.previous()).isEmpty();
    assertThat(page.tokens())
        .singleElement()
        .satisfies(t -> assertThat(t.label()).isEqualTo("My read only token"));
  }

  @Test
  void pageWithAbsoluteNext_keepsTheLink() throws Exception {
    AccessTokenPage page = WireFormat.page(bytes(example("access-token-page-linked.json")), LIST);

    assertThat(page.next())
        .contains(URI.create("https://hub.docker.com/v2/access-tokens?page=2&page_size=10"));
    assertThat(page.hasNext()).isTrue();
    assertThat(page.count()).isEqualTo(25);
    assertThat(page.activeCount()).isEqualTo(24);
  }

  @Test
  void relativeNext_isResolvedAgainstTheRequest() throws Exception {
    String json =
        "{\"count\":2,\"next\":\"/v2/access-tokens?page=2\",\"previous\":\"\",\"active_count\":2,\"results\":[]}";

    AccessTokenPage page = WireFormat.page(bytes(json), LIST);

    assertThat(page.next()).contains(URI.create("https://hub.docker.com/v2/access-tokens?page=2"));
    assertThat(page.previous()).isEmpty();
  }

  @Test
  void createRequest_matchesTheSpecExample() throws Exception {
    byte[] body =
        WireFormat.write(
            new Wire.CreateBody(
                "My read only token",
                List.of("repo:read"),
                Rfc3339.format(Instant.parse("2021-10-28T18:30:19.520861Z"))));

    assertThat(WireFormat.MAPPER.readTree(body)).isEqualTo(tree(example("create-request.json")));
  }

  @Test
  void createRequestWithoutExpiry_omitsTheField() throws Exception {
    byte[] body = WireFormat.write(new Wire.CreateBody("t", List.of("repo:read"), null));

    assertThat(WireFormat.MAPPER.readTree(body).has("expires_at")).isFalse();
  }

  @Test
  void patchRequest_matchesTheSpecExample() throws Exception {
    byte[] body = WireFormat.write(new Wire.PatchBody("My read only token", false));

    assertThat(WireFormat.MAPPER.readTree(body)).isEqualTo(tree(example("patch-request.json")));
  }

  @Test
  void deactivateRequest_sendsIsActiveAlone() throws Exception {
    byte[] body = WireFormat.write(new Wire.PatchBody(null, false));

    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"is_active\":false}");
  }

  @Test
  void loginRequests_matchTheSpecExamples() throws Exception {
    assertThat(
            WireFormat.MAPPER.readTree(
                WireFormat.write(new Wire.LoginBody("myusername", "p@ssw0rd"))))
        .isEqualTo(tree(example("users-login-request.json")));
    assertThat(
            WireFormat.MAPPER.readTree(
                WireFormat.write(new Wire.AuthTokenBody("myusername", "dckr_pat_124509ugsdjga93"))))
        .isEqualTo(tree(example("auth-token-request.json")));
    JsonNode twoFactor = tree(example("users-2fa-login-request.json"));
    assertThat(
            WireFormat.MAPPER.readTree(
                WireFormat.write(
                    new Wire.TwoFactorBody(twoFactor.get("login_2fa_token").asText(), "123456"))))
        .isEqualTo(twoFactor);
  }

  @Test
  void loginResponses_readTheJwt() throws Exception {
    assertThat(
            WireFormat.read(bytes(example("users-login-response.json")), Wire.LoginResponse.class)
                .token())
        .startsWith("eyJhbGciOiJIUzI1NiIs");
    assertThat(
            WireFormat.read(
                    bytes(example("auth-token-response.json")), Wire.AuthTokenResponse.class)
                .accessToken())
        .startsWith("eyJhbGciOiJIUzI1NiIs");
  }

  @Test
  void twoFactorChallenge_readsTheLoginToken() {
    WireFormat.ErrorBody body = WireFormat.error(bytes(example("users-login-2fa-required.json")));

    assertThat(body.textField("login_2fa_token"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("eyJ"));
    assertThat(body.message()).contains("Require secondary authentication on MFA enabled account");
  }

  @Test
  void valueError_readsFieldsAndText() {
    WireFormat.ErrorBody body = WireFormat.error(bytes(example("error-value-error.json")));

    assertThat(body.fields())
        .containsEntry(
            "token_label", List.of("Ensure this field has no more than 100 characters."));
    assertThat(body.message()).contains("Ensure this field has no more than 100 characters.");
  }

  @Test
  void errorBody_prefersMessageOverDetail() {
    assertThat(WireFormat.error(bytes(example("error-error.json"))).message())
        .contains("Token not found");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "error-unauthorized-observed.json:unauthorized",
        "error-pat-forbidden-observed.json:token issued from personal access token is not allowed",
        "error-rate-limit.json:Rate limit exceeded",
        "users-login-error.json:Incorrect authentication credentials",
        "users-2fa-login-error.json:Incorrect authentication credentials"
      })
  void errorExamples_yieldTheServerMessage(String exampleAndMessage) {
    String[] parts = exampleAndMessage.split(":", 2);

    assertThat(WireFormat.error(bytes(example(parts[0]))).message()).contains(parts[1]);
  }

  @Test
  void errorBodyThatIsNotJson_yieldsNoMessage() {
    WireFormat.ErrorBody body = WireFormat.error(bytes("<html>502 Bad Gateway</html>"));

    assertThat(body.message()).isEmpty();
    assertThat(body.fields()).isEmpty();
  }

  @Test
  void fieldErrorGivenAsString_isKept() {
    WireFormat.ErrorBody body =
        WireFormat.error(bytes("{\"fields\":{\"scopes\":\"invalid scope\"}}"));

    assertThat(body.fields()).containsEntry("scopes", List.of("invalid scope"));
  }

  // ------------------------------------------------------------ tolerant reading

  @Test
  void unknownFields_areIgnored() throws Exception {
    String json = withField("brand_new_field", "{\"nested\":[1,2,3]}");

    assertThat(token(json).label()).isEqualTo("t");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "\"\"", "\"  \""})
  void expiresAtAbsentNullOrEmpty_meansNever(String value) throws Exception {
    String json = value.isEmpty() ? withField(null, null) : withField("expires_at", value);

    assertThat(token(json).expiresAt()).isEmpty();
  }

  @Test
  void unknownGeneratedBy_isKeptWithoutATypedOrigin() throws Exception {
    HubAccessToken token = token(withField("generated_by", "\"sso_provisioning\""));

    assertThat(token.generatedBy()).isEqualTo("sso_provisioning");
    assertThat(token.origin()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"autogenerated", "auto_generated", "AUTO-GENERATED"})
  void autoGeneratedSpellings_mapToAutoGenerated(String value) throws Exception {
    assertThat(token(withField("generated_by", "\"" + value + "\"")).origin())
        .contains(TokenOrigin.AUTO_GENERATED);
  }

  @Test
  void unknownScopes_areKeptBesideTheKnownOnes() throws Exception {
    String json =
        withField(null, null)
            .replace("[\"repo:read\"]", "[\"repo:read\",\"repo:future\",\"repo:admin\"]");

    HubAccessToken token = token(json);

    assertThat(token.scopes()).containsExactly("repo:read", "repo:future", "repo:admin");
    assertThat(token.knownScopes()).containsExactly(Scope.REPO_READ, Scope.REPO_ADMIN);
    assertThat(token.unknownScopes()).containsExactly("repo:future");
  }

  @Test
  void countsWrittenAsWholeFloats_areReadAsIntegers() throws Exception {
    String json =
        "{\"count\":3.0,\"next\":null,\"previous\":null,\"active_count\":2.00,\"results\":[]}";

    AccessTokenPage page = WireFormat.page(bytes(json), LIST);

    assertThat(page.count()).isEqualTo(3);
    assertThat(page.activeCount()).isEqualTo(2);
  }

  @Test
  void countWithAFraction_isUnreadable() {
    String json =
        "{\"count\":1.5,\"next\":null,\"previous\":null,\"active_count\":1,\"results\":[]}";

    assertThatThrownBy(() -> WireFormat.page(bytes(json), LIST))
        .isInstanceOf(WireException.class)
        .hasMessage("count: 1.5 is not a whole number");
  }

  @Test
  void negativeCount_isUnreadable() {
    String json =
        "{\"count\":-1,\"next\":null,\"previous\":null,\"active_count\":0,\"results\":[]}";

    assertThatThrownBy(() -> WireFormat.page(bytes(json), LIST))
        .hasMessage("count: -1 is negative");
  }

  @Test
  void missingResults_isUnreadable() {
    assertThatThrownBy(() -> WireFormat.page(bytes("{\"count\":0,\"active_count\":0}"), LIST))
        .hasMessageContaining("results: missing");
  }

  @Test
  void badTimestampInAPage_namesTheItemAndField() {
    String json =
        "{\"count\":1,\"active_count\":1,\"results\":["
            + withField(null, null).replace("2021-07-20T12:00:00Z", "yesterday")
            + "]}";

    WireException e =
        catchThrowableOfType(WireException.class, () -> WireFormat.page(bytes(json), LIST));

    assertThat(e.describe(new Redactor()))
        .startsWith("results[0].created_at: \"yesterday\" is not an RFC 3339 timestamp");
    assertThat(e).hasMessageNotContaining("yesterday");
  }

  @Test
  void invalidUuid_isUnreadable() {
    WireException e =
        catchThrowableOfType(
            WireException.class,
            () ->
                token(
                    withField(null, null).replace("b30bbf97-506c-4ecd-aabc-842f3cb484fb", "nope")));

    assertThat(e.describe(new Redactor())).isEqualTo("token.uuid: \"nope\" is not a UUID");
  }

  @Test
  void wrongJsonType_namesThePathButNotTheValue() {
    String json =
        withField(null, null)
            .replace("\"is_active\":true", "\"is_active\":{\"secret\":\"hunter2\"}");

    assertThatThrownBy(() -> token(json))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("is_active")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void malformedJson_isUnreadableWithAPosition() {
    assertThatThrownBy(() -> WireFormat.read(bytes("{\"uuid\": "), Wire.TokenBody.class))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("malformed JSON at line 1");
  }

  @Test
  void emptyBody_isUnreadable() {
    assertThatThrownBy(() -> WireFormat.read(new byte[0], Wire.TokenBody.class))
        .hasMessageContaining("body: empty");
  }

  @Test
  void lastUsed_isRead() throws Exception {
    assertThat(token(withField("last_used", "\"2024-02-29T23:59:59.123+01:00\"")).lastUsedAt())
        .isEqualTo(Optional.of(Instant.parse("2024-02-29T22:59:59.123Z")));
  }

  @Test
  void wireRecordsHoldingSecrets_doNotPrintThem() {
    assertThat(new Wire.LoginBody("alice", "hunter2").toString()).doesNotContain("hunter2");
    assertThat(new Wire.AuthTokenBody("alice", "dckr_pat_x").toString())
        .doesNotContain("dckr_pat_x");
    assertThat(new Wire.TwoFactorBody("tok", "123456").toString())
        .doesNotContain("123456")
        .doesNotContain("tok");
    assertThat(new Wire.LoginResponse("jwt.jwt.jwt", null, null).toString())
        .doesNotContain("jwt.jwt.jwt");
  }
}
