/**
 * The Docker Hub-compatible token management API: {@link dev.scopedtokens.server.hub.HubApi},
 * sign-in and {@code /v2/access-tokens} over the core and the accounts SPI.
 */
package dev.scopedtokens.server.hub;
