/**
 * The API proxy: every {@code /api/v1/**} call is forwarded, streaming and unchanged, to the service that owns its
 * path; an unreachable backend is answered with a 502 problem detail naming it.
 */
package ch.cern.alice.lakehouse.webui.proxy;
