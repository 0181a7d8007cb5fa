/**
 * The server's one implementation of compact JWS (RFC 7515) over the JDK: {@link
 * dev.scopedtokens.server.jwt.internal.JwsSigner} writes and signs, {@link
 * dev.scopedtokens.server.jwt.internal.JwsVerifier} checks, and {@link
 * dev.scopedtokens.server.jwt.internal.Jws} knows which key fits which algorithm. The registry
 * token signer ({@link dev.scopedtokens.server.jwt.JwtSigner}) and the management API's sessions
 * both go through it. Not exported: nothing here is API.
 */
package dev.scopedtokens.server.jwt.internal;
