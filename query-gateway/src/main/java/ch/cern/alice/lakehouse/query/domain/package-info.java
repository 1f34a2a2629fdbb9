/**
 * The execution core: accepts a query ({@code QueryService}), keeps it while it runs ({@code QueryRegistry},
 * {@code QueryExecution}) and runs it on Trino ({@code QueryRunner}). It reaches branch work, refs and history only
 * through the interfaces it owns ({@code WriteStatements}, {@code RefPins}, {@code QueryHistory}).
 */
package ch.cern.alice.lakehouse.query.domain;
