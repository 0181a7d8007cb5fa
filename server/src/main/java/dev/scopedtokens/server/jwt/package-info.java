/**
 * JWT signing with the JDK alone, as registries demand it: {@link
 * dev.scopedtokens.server.jwt.SigningKey} (a key with its certificate chain, generated with a
 * self-signed certificate or read from PEM), {@link dev.scopedtokens.server.jwt.SigningKeys} (sign
 * with the newest, publish all), {@link dev.scopedtokens.server.jwt.KeyIdMode} (how a token names
 * its key for registry 2.8 or 3.x) and {@link dev.scopedtokens.server.jwt.JwtSigner}.
 */
package dev.scopedtokens.server.jwt;
