/**
 * The Docker registry token endpoint: {@link
 * dev.scopedtokens.server.registry.RegistryTokenEndpoint}, where registry clients trade a password
 * or a personal access token for a short-lived registry token that grants what was requested and is
 * allowed, and {@link dev.scopedtokens.server.registry.RefreshTokenKey}, the key that seals refresh
 * tokens when they are on.
 */
package dev.scopedtokens.server.registry;
