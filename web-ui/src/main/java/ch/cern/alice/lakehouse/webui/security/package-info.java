/**
 * Sign-in for the app ({@code /api/me}) and the two filter chains: the proxied API passes through to the
 * services, which check users and roles themselves; the rest is the app.
 */
package ch.cern.alice.lakehouse.webui.security;
