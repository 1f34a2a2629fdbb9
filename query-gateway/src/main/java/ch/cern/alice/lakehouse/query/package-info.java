/**
 * query-gateway: SQL over Trino for researchers and tools (asynchronous queries, a read-only guard, time travel at
 * refs, history, saved queries, exports, Trino's client protocol, branch work). This package holds only the Spring
 * Boot application class; {@code PackageRulesTest} keeps its packages free of loops.
 */
package ch.cern.alice.lakehouse.query;
