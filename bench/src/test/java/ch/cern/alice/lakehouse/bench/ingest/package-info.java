/**
 * {@code IngestBenchmark} (with {@code StageCpu}, its CPU split per stage): collector -> Kafka -> ingest -> staging,
 * on e2e-tests' embedded {@code LakehouseStack} (from its test-jar) or against running services; a main program
 * started by {@code bench/ingest-bench.sh}, never by {@code verify}.
 */
package ch.cern.alice.lakehouse.bench.ingest;
