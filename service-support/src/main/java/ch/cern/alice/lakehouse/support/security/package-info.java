/**
 * Users, roles and logins of every service but the collector's site keys: HTTP Basic against {@code
 * LAKEHOUSE_USERS} with a short success cache, the role hierarchy and shared URL rules, {@code Caller}, login
 * throttling, the audit log, client addresses behind trusted proxies, and the refusal to expose demo credentials.
 */
package ch.cern.alice.lakehouse.support.security;
