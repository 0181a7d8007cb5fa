/**
 * Scoped Tokens API client: a typed client for Docker Hub's {@code /v2/access-tokens} API and any
 * registry that offers the same REST API.
 *
 * <p>Start with {@link dev.scopedtokens.client.HubClient#builder()}. Jackson is an implementation
 * detail: no Jackson type appears in the API, and the wire records live in a package that is not
 * exported.
 */
module dev.scopedtokens.client {
  requires transitive dev.scopedtokens.core;
  requires transitive java.net.http;
  requires com.fasterxml.jackson.databind;

  exports dev.scopedtokens.client;

  // Jackson binds the wire records by reflection; nobody else may.
  opens dev.scopedtokens.client.internal to
      com.fasterxml.jackson.databind;
}
