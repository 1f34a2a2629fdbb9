/**
 * Query history: every query a user ran, stored in {@code query.query_history} through a Spring Data JPA repository
 * ({@code QueryHistoryStore} implements the core's {@code domain.QueryHistory}), and the start-up clean-up of queries
 * a previous gateway process left unfinished ({@code InterruptedQueries}).
 */
package ch.cern.alice.lakehouse.query.history;
