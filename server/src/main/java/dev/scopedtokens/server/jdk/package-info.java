/**
 * The JDK's {@code com.sun.net.httpserver} as a transport for {@link
 * dev.scopedtokens.server.http.HttpEndpoint}s: {@link dev.scopedtokens.server.jdk.JdkHttpServer},
 * with the {@link dev.scopedtokens.server.http.HttpLimits} enforced, bounded threads and read
 * deadlines. The standalone server runs on Jetty instead; this transport is for embedding and for
 * the testkit's fake Docker Hub.
 */
package dev.scopedtokens.server.jdk;
