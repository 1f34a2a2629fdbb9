/**
 * Small-file maintenance of the lake tables: scheduled and on-demand OPTIMIZE and VACUUM runs, carried out in the
 * Spark application, with VACUUM's retention asked from versioning-service so that no pinned version loses its
 * files.
 */
package ch.cern.alice.lakehouse.etl.maintenance;
