/**
 * Framework-neutral HTTP: {@link dev.scopedtokens.server.http.HttpEndpoint} and its request and
 * response types, {@link dev.scopedtokens.server.http.Routes}, and the {@link
 * dev.scopedtokens.server.http.HttpLimits} every adapter enforces.
 */
package dev.scopedtokens.server.http;
