/**
 * The Jakarta Servlet adapter: {@link dev.scopedtokens.server.servlet.EndpointServlet} mounts an
 * {@link dev.scopedtokens.server.http.HttpEndpoint} in a Servlet 6 container. The Servlet API is an
 * optional dependency: the container brings it.
 */
package dev.scopedtokens.server.servlet;
